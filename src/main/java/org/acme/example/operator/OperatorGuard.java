package org.acme.example.operator;

import org.acme.example.ExampleConfig;
import org.acme.example.http.DenialLog;
import org.acme.example.http.JsonReply;
import org.acme.example.http.LogText;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.jboss.logging.Logger;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Who may change things on the management port. With {@code example.fault-control.password} set, every request other
 * than GET and HEAD, on any route of the management router (the fault control, and whatever is added later), needs
 * the {@link OperatorCredentials operator's credentials}. The check is the router's first route, so it runs before
 * any handler and before any body handler reads the body. Wrong guesses are {@link GuessThrottle throttled} per source
 * address; refusals are logged ({@link DenialLog}: the first at once, then at most one line per 10 s with the counts and
 * the addresses most of them came from), never with the credentials.
 */
@Singleton
public class OperatorGuard {

    private static final Logger LOG = Logger.getLogger(OperatorGuard.class);
    static final String PROPERTY = "example.fault-control.password";
    /** The older name of EXAMPLE_FAULT_CONTROL_PASSWORD, still read (application.properties maps it). */
    static final String VARIABLE = "FAULT_CONTROL_PASSWORD";
    /** Before every other route of the management router. */
    static final int ORDER = Integer.MIN_VALUE;
    /** Set on a request whose credentials were accepted: the user's name. */
    private static final String USER = "operator.user";

    private final Optional<OperatorCredentials> operator;
    private final GuessThrottle throttle = new GuessThrottle(System.nanoTime());
    private final DenialLog refusals;

    OperatorGuard(ExampleConfig config, Config rawConfig, Vertx vertx) {
        refuseEmptyPassword(rawConfig);
        this.operator = config.faultControl().password().map(OperatorCredentials::new);
        this.refusals = new DenialLog(vertx, "Refused changes on the management port", LOG::warn);
    }

    /**
     * SmallRye Config reads an empty value as "not set", which here would mean "no authentication": an operator who
     * meant to set a password and got an empty one (an empty Secret key, a typo in a variable's name on the right
     * side) would silently open the fault control. So an empty value stops start-up.
     */
    static void refuseEmptyPassword(Config config) {
        for (String name : new String[] { PROPERTY, VARIABLE, "EXAMPLE_FAULT_CONTROL_PASSWORD" }) {
            ConfigValue value = config.getConfigValue(name);
            boolean set = value.getSourceName() != null && !isDefaultExpression(value);
            if (set && (value.getValue() == null || value.getValue().isBlank())) {
                throw new IllegalArgumentException(PROPERTY + " (EXAMPLE_FAULT_CONTROL_PASSWORD, or its alias " + VARIABLE
                        + ") is set but empty (or blank): set a password"
                        + " (e.g. openssl rand -base64 24), or leave it unset to let anyone who reaches the"
                        + " management port change faults");
            }
        }
    }

    /** application.properties maps the property to the variable: that line alone sets nothing. */
    private static boolean isDefaultExpression(ConfigValue value) {
        return value.getRawValue() != null && value.getRawValue().startsWith("${" + VARIABLE + ":");
    }

    void register(@Observes ManagementInterface management) {
        if (operator.isPresent()) {
            management.router().route().order(ORDER).handler(this::guard);
        }
    }

    private void guard(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            context.next();
            return;
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            refuse(context, 401, "no credentials");
            return;
        }
        String address = address(context);
        if (!throttle.tryAcquire(address, System.nanoTime())) {
            long seconds = Math.max(1,
                    (long) Math.ceil(throttle.retryAfter(address, System.nanoTime()).toMillis() / 1000.0));
            context.response().putHeader("Retry-After", String.valueOf(seconds));
            refuse(context, 429, "too many wrong credentials lately, not checked");
            return;
        }
        if (operator.get().accept(authorization)) {
            throttle.refund(address);
            context.put(USER, OperatorCredentials.USER);
            context.next();
            return;
        }
        refuse(context, 401, "wrong credentials");
    }

    /** Who made a change, for the log: the request, its remote address, and the user when credentials were checked. */
    public static String by(RoutingContext context) {
        return LogText.escape(context.request().method() + " " + context.request().path()) + " from " + who(context);
    }

    private static String address(RoutingContext context) {
        SocketAddress remote = context.request().remoteAddress();
        return remote == null || remote.hostAddress() == null ? "an unknown address" : remote.hostAddress();
    }

    private static String who(RoutingContext context) {
        String address = address(context);
        String user = context.get(USER);
        return user == null ? address : address + " as " + user;
    }

    private void refuse(RoutingContext context, int status, String reason) {
        refusals.record(reason, address(context), () -> "Refused " + by(context) + ": " + reason);
        if (status == 401) {
            context.response().putHeader("WWW-Authenticate", OperatorCredentials.CHALLENGE);
        }
        String message = status == 429
                ? "too many attempts with wrong credentials: retry later"
                : "changes need the credentials of the user '" + OperatorCredentials.USER + "'";
        JsonReply.error(context, status, message);
    }
}
