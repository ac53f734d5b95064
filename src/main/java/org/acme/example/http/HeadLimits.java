package org.acme.example.http;

import java.net.InetAddress;
import java.util.function.BiConsumer;

/**
 * What the request heads of one port may hold: at most {@link #maxHeaderLines} header lines each, and together with
 * the unfinished heads of every port at most what {@link UnfinishedHeads} allows; and whom to tell about a head
 * refused, for any {@link HeadRefusal reason}.
 */
record HeadLimits(int maxHeaderLines, UnfinishedHeads unfinished, BiConsumer<HeadRefusal, InetAddress> refused) {
}
