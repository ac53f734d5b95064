#!/usr/bin/env python3
"""A picture of the dashboard during an incident, for the README, without Grafana (none is obtainable here).

Runs the packaged jar (the production JVM options of Dockerfile.jvm, heap sized as for a 256 MiB limit) with its
built-in traffic generator, and a real Prometheus (Debian's `prometheus`) that scrapes it every 5 s with the shipped
recording and alert rules. After a healthy start (1% of requests fail), it starts the shipped scenario `fast-burn`
(an upstream outage: every request fails, 503 and some 500). By default the picture is taken while it runs; with
--recovery, the scenario is stopped and the service recovers first. Then the script sends the queries of the top rows
of src/main/grafana/prometheus-example.json, as Grafana would (the template variables and $__rate_interval replaced),
over the whole run, and draws the answers as an SVG grid that keeps the dashboard's layout, titles, legends and
units. It is drawn from the dashboard's own queries: it is not a Grafana screenshot, and only some of Grafana's
styling is reproduced (the stat panels' thresholds, the fixed colours of series; no gradients, no annotations).

    ./mvnw package -DskipTests
    python3 src/test/dashboard-picture/incident.py            # about 9 minutes
    # writes src/site/resources/images/dashboard-incident.svg

Options: --healthy 240 --incident 300 --recovery 0 (seconds), --out PATH, --rows-below 40 (grid units drawn).
"""
import argparse
import html
import json
import math
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
DASHBOARD = os.path.join(ROOT, 'src/main/grafana/prometheus-example.json')
RULES = ['example-recording.rules.yml', 'example-alerts.rules.yml', 'example-saturation.rules.yml']
JOB = 'prometheus-example'
SCRAPE = 5
TRAFFIC = 20
PALETTE = ['#73bf69', '#f2cc0c', '#5794f2', '#ff9830', '#f2495c', '#b877d9', '#8ab8ff', '#fade2a', '#96d98d']
NAMED_COLORS = {'green': '#73bf69', 'red': '#f2495c', 'orange': '#ff9830', 'yellow': '#fade2a', 'blue': '#5794f2',
                'purple': '#b877d9', 'dark-red': '#c4162a', 'semi-dark-red': '#e02f44', 'light-red': '#ff7383',
                'dark-orange': '#fa6400', 'text': '#ccccdc'}
CELL_W, CELL_H = 60, 30


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read().decode()


def send(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read().decode()


def wait_for(what, check, timeout=90):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit('timed out waiting for ' + what)


def java_options():
    dockerfile = open(os.path.join(ROOT, 'src/main/docker/Dockerfile.jvm')).read()
    options = re.search(r'^ENV JAVA_OPTS="([^"]*)"', dockerfile, re.M).group(1)
    return ['-XX:MaxRAM=256m'] + shlex.split(options)


def run(args):
    work = tempfile.mkdtemp(prefix='dashboard-picture-')
    http, management, prometheus_port = free_port(), free_port(), free_port()
    env = dict(os.environ, QUARKUS_HTTP_PORT=str(http), QUARKUS_MANAGEMENT_PORT=str(management),
               QUARKUS_HTTP_HOST='127.0.0.1', QUARKUS_MANAGEMENT_HOST='127.0.0.1',
               EXAMPLE_TRAFFIC_RATE=str(TRAFFIC), EXAMPLE_FAILURE_RATE='0.01', EXAMPLE_LATENCY_MIN='5ms',
               EXAMPLE_LATENCY_MAX='40ms')
    jar = os.path.join(ROOT, 'target/quarkus-app/quarkus-run.jar')
    service = subprocess.Popen(['java'] + java_options() + ['-jar', jar], env=env,
                               stdout=open(os.path.join(work, 'service.log'), 'w'), stderr=subprocess.STDOUT)
    config = os.path.join(work, 'prometheus.yml')
    with open(config, 'w') as out:
        out.write('global:\n  scrape_interval: %ds\n  evaluation_interval: %ds\nrule_files:\n' % (SCRAPE, SCRAPE))
        for rules in RULES:
            out.write('  - %s\n' % os.path.join(ROOT, 'src/main/prometheus', rules))
        out.write('scrape_configs:\n  - job_name: %s\n    static_configs:\n      - targets: ["127.0.0.1:%d"]\n'
                  % (JOB, management))
    prometheus = subprocess.Popen(['prometheus', '--config.file=' + config, '--storage.tsdb.path=' + work + '/data',
                                   '--web.listen-address=127.0.0.1:%d' % prometheus_port],
                                  stdout=open(os.path.join(work, 'prometheus.log'), 'w'), stderr=subprocess.STDOUT)
    api = 'http://127.0.0.1:%d/api/v1/' % prometheus_port
    fault = 'http://127.0.0.1:%d/fault/scenario' % management
    try:
        wait_for('the service', lambda: get('http://127.0.0.1:%d/ready' % http) is not None)
        wait_for('the first scrape', lambda: '"1"' in get(api + 'query?query=up'))
        start = time.time()
        print('healthy for %d s' % args.healthy, flush=True)
        time.sleep(args.healthy)
        send('PUT', fault, {'name': 'fast-burn'})
        incident = time.time()
        print('fast-burn for %d s' % args.incident, flush=True)
        time.sleep(args.incident)
        marks = {'incident': incident}
        if args.recovery > 0:
            send('DELETE', fault)
            marks['recovered'] = time.time()
            print('recovery for %d s' % args.recovery, flush=True)
            time.sleep(args.recovery)
        end = time.time()
        svg = render(api, start, end, marks, args.rows_below)
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, 'w') as out:
            out.write(svg)
        print('wrote ' + args.out)
    finally:
        for process in (service, prometheus):
            process.terminate()
            process.wait(30)


# --- Queries ---------------------------------------------------------------------------------------------------------

def grafana(expr, step):
    rate_interval = max(step + SCRAPE, 4 * SCRAPE)
    expr = expr.replace('$__rate_interval', '%ds' % rate_interval).replace('${__rate_interval}', '%ds' % rate_interval)
    expr = expr.replace('$__interval', '%ds' % step)
    return expr.replace('$job', JOB).replace('${job}', JOB).replace('$instance', '.*').replace('${instance}', '.*')


def query_range(api, expr, start, end, step):
    url = api + 'query_range?' + urllib.parse.urlencode(
        {'query': grafana(expr, step), 'start': start, 'end': end, 'step': step})
    answer = json.loads(get(url, 60))
    series = []
    for one in answer['data']['result']:
        points = [(float(t), float(v)) for t, v in one['values'] if not math.isnan(float(v)) and not math.isinf(float(v))]
        series.append((one['metric'], points))
    return series


def legend(format_, labels):
    return re.sub(r'\{\{\s*(\w+)\s*\}\}', lambda m: labels.get(m.group(1), ''), format_ or '').strip() or \
        '{' + ', '.join('%s="%s"' % kv for kv in sorted(labels.items())) + '}'


# --- Drawing ---------------------------------------------------------------------------------------------------------

def fmt(value, unit):
    if value is None:
        return 'no data'
    if unit == 'percentunit':
        return ('%.1f%%' if abs(value) < 0.1 else '%.0f%%') % (value * 100) if value != 0 else '0%'
    if unit == 's':
        return '%.0f ms' % (value * 1000) if abs(value) < 1 else '%.2f s' % value
    if unit == 'reqps':
        return '%.1f req/s' % value if value < 100 else '%.0f req/s' % value
    if abs(value) >= 1000:
        return '%.3g' % value
    return ('%.2f' % value).rstrip('0').rstrip('.') if value != int(value) else '%d' % value


def nice_top(value):
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that holds the value: round axis labels."""
    power = 10 ** math.floor(math.log10(value))
    return next(f * power for f in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if f * power >= value * 0.999)


def text(x, y, content, size=12, color='#ccccdc', anchor='start', weight='normal'):
    return '<text x="%.1f" y="%.1f" font-size="%d" fill="%s" text-anchor="%s" font-weight="%s">%s</text>' % (
        x, y, size, color, anchor, weight, html.escape(content))


def fixed_colors(panel):
    colors = {}
    for override in panel.get('fieldConfig', {}).get('overrides', []):
        if override.get('matcher', {}).get('id') == 'byName':
            for prop in override.get('properties', []):
                if prop.get('id') == 'color' and prop['value'].get('fixedColor'):
                    colors[override['matcher']['options']] = NAMED_COLORS.get(prop['value']['fixedColor'],
                                                                           prop['value']['fixedColor'])
    return colors


def timeseries(panel, x, y, w, h, api, start, end, step, marks):
    unit = panel.get('fieldConfig', {}).get('defaults', {}).get('unit', 'none')
    lines = []
    for target in panel.get('targets', []):
        for labels, points in query_range(api, target['expr'], start, end, step):
            if points:
                lines.append((legend(target.get('legendFormat'), labels), points))
    out = []
    left, right, top, bottom = x + 58, x + w - 10, y + 30, y + h - 34
    values = [v for _, points in lines for _, v in points]
    low = min([0] + values)
    high = nice_top(max(values) if values and max(values) > low else low + 1)
    for i in range(5):
        gy = bottom - (bottom - top) * i / 4
        out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#2c3235"/>' % (left, gy, right, gy))
        out.append(text(left - 6, gy + 4, fmt(low + (high - low) * i / 4, unit), 10, '#8e8e8e', 'end'))
    for name, at in marks.items():
        mx = left + (right - left) * (at - start) / (end - start)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="#5794f2" stroke-dasharray="3,3"/>'
                   % (mx, top, mx, bottom))
    minutes = int((end - start) // 60)
    for m in range(0, minutes + 1, 2):
        mx = left + (right - left) * (m * 60) / (end - start)
        out.append(text(mx, bottom + 13, '%d min' % m, 9, '#8e8e8e', 'middle'))
    colors = fixed_colors(panel)
    legend_x, legend_y = left, bottom + 27
    for index, (name, points) in enumerate(lines):
        color = colors.get(name, PALETTE[index % len(PALETTE)])
        path = ' '.join('%s%.1f,%.1f' % ('M' if i == 0 else 'L', left + (right - left) * (t - start) / (end - start),
                                          bottom - (bottom - top) * (v - low) / (high - low))
                        for i, (t, v) in enumerate(points))
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="1.5"/>' % (path, color))
        label = name if len(name) < 28 else name[:26] + '…'
        if legend_x + 14 + 6.5 * len(label) > right:
            continue  # the legend row is full; Grafana would wrap it
        out.append('<rect x="%.1f" y="%.1f" width="10" height="3" fill="%s"/>' % (legend_x, legend_y - 4, color))
        out.append(text(legend_x + 14, legend_y, label, 10, '#ccccdc'))
        legend_x += 24 + 6.2 * len(label)
    if not lines:
        out.append(text(x + w / 2, y + h / 2, 'no data', 12, '#8e8e8e', 'middle'))
    return out


def stat(panel, x, y, w, h, api, start, end, step):
    unit = panel.get('fieldConfig', {}).get('defaults', {}).get('unit', 'none')
    shown = []
    values = []
    for target in panel.get('targets', []):
        series = query_range(api, target['expr'], start, end, step)
        last = [points[-1][1] for _, points in series if points]
        values += last[:1]
        shown.append(fmt(last[0], unit) if last else 'no data')
    color = threshold_color(panel, values[0]) if values else '#8e8e8e'
    return [text(x + w / 2, y + h / 2 + 20, ' / '.join(shown), 28, color, 'middle', 'bold')]


def threshold_color(panel, value):
    """The colour of the panel's thresholds for the value (Grafana's default: green, red from 80)."""
    thresholds = panel.get('fieldConfig', {}).get('defaults', {}).get('thresholds') or \
        {'steps': [{'color': 'green', 'value': None}, {'color': 'red', 'value': 80}]}
    color = 'green'
    for step in thresholds['steps']:
        if step.get('value') is None or value >= step['value']:
            color = step['color']
    return NAMED_COLORS.get(color, color)


def render(api, start, end, marks, rows_below):
    dashboard = json.load(open(DASHBOARD))
    panels = [p for p in dashboard['panels'] if p['gridPos']['y'] < rows_below]
    step = max(SCRAPE, int((end - start) / 240))
    width = 24 * CELL_W
    height = max(p['gridPos']['y'] + p['gridPos']['h'] for p in panels) * CELL_H + 70
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="Inter, Helvetica, Arial, sans-serif">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="#111217"/>',
           text(12, 26, dashboard['title'], 18, '#ccccdc', weight='bold'),
           text(width - 12, 26, 'Drawn from the dashboard\'s own queries against a real Prometheus, not a Grafana '
                'screenshot. Dashed line: the fast-burn scenario starts'
                + ('; and is stopped' if len(marks) > 1 else '') + '.', 11, '#8e8e8e', 'end')]
    for panel in panels:
        g = panel['gridPos']
        x, y, w, h = g['x'] * CELL_W + 4, g['y'] * CELL_H + 44, g['w'] * CELL_W - 8, g['h'] * CELL_H - 8
        if panel['type'] == 'row':
            out.append(text(x + 4, y + 20, panel['title'], 14, '#ccccdc', weight='bold'))
            continue
        out.append('<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="#181b1f" stroke="#2c3235"/>' % (x, y, w, h))
        out.append(text(x + 8, y + 18, panel['title'], 12, '#ccccdc', weight='bold'))
        if panel['type'] == 'stat':
            out += stat(panel, x, y, w, h, api, start, end, step)
        else:
            out += timeseries(panel, x, y, w, h, api, start, end, step, marks)
    out.append('</svg>')
    return '\n'.join(out) + '\n'


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--healthy', type=int, default=240)
    parser.add_argument('--incident', type=int, default=300)
    parser.add_argument('--recovery', type=int, default=0, help='seconds after the scenario is stopped; 0: the'
                        ' picture is taken while it runs')
    parser.add_argument('--rows-below', type=int, default=40)
    parser.add_argument('--out', default=os.path.join(ROOT, 'src/site/resources/images/dashboard-incident.svg'))
    run(parser.parse_args())
