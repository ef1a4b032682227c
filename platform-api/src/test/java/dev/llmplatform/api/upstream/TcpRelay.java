package dev.llmplatform.api.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on a loopback port in front of a real server, standing for the network between a gateway and
 * one upstream: it can be stopped (connections refused, open ones dropped), started again on the same port,
 * and told to drop the next answer after some bytes — a server dying mid-stream. It counts the chat
 * requests that passed through it.
 */
final class TcpRelay implements AutoCloseable {
    private static final byte[] CHAT = "POST /v1/chat/completions".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);

    private final int target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger chatRequests = new AtomicInteger();
    private final AtomicLong cutAfter = new AtomicLong(-1);
    private final AtomicLong answerBytes = new AtomicLong();
    /** The relay stops itself once {@link #answerBytes} reaches this; {@code Long.MAX_VALUE}: never. */
    private final AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
    private volatile ServerSocket server;

    TcpRelay(int target) throws IOException {
        this.target = target;
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = s.getLocalPort();
        listen(s);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized String describe() {
        return url() + (server == null ? " stopped" : " listening") + ", " + open.size() + " sockets open";
    }

    /** Bytes relayed in answer to chat requests so far (health polls and other requests are not counted). */
    long answerBytes() {
        return answerBytes.get();
    }

    int chatRequests() {
        return chatRequests.get();
    }

    /** The next answer passing through is cut after {@code bytes} bytes. */
    void cutNextAnswerAfter(long bytes) {
        cutAfter.set(bytes);
    }

    /**
     * The relay stops itself (as {@link #stop}) the moment the chat answers it has relayed reach {@code total}
     * bytes: the upstream dies while it is streaming, whatever the machine's speed.
     */
    void stopOnceAnswerBytesReach(long total) {
        stopAt.set(total);
    }

    synchronized boolean stopped() {
        return server == null;
    }

    /** Refuses new connections and drops the open ones. */
    synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket s : open) {
            s.close();
        }
    }

    synchronized void start() throws IOException {
        if (server == null) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(s);
        }
    }

    private void listen(ServerSocket s) {
        this.server = s;
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    synchronized (this) {
                        if (server != s) { // stopped while this connection was being set up: it must not live on
                            client.close();
                            upstream.close();
                            continue;
                        }
                        open.add(client);
                        open.add(upstream);
                    }
                    AtomicLong cut = new AtomicLong(-1); // armed by a chat request on this connection
                    AtomicBoolean chat = new AtomicBoolean(); // the connection's latest request is a chat request
                    Thread.ofVirtual().start(() -> pump(client, upstream, true, cut, chat));
                    Thread.ofVirtual().start(() -> pump(upstream, client, false, cut, chat));
                } catch (IOException e) {
                    // closed: stopped
                }
            }
        });
    }

    private void pump(Socket from, Socket to, boolean request, AtomicLong cut, AtomicBoolean chat) {
        long limit = -1;
        long sent = 0;
        byte[] buffer = new byte[8192];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (request && contains(buffer, n, CHAT)) {
                    chatRequests.incrementAndGet();
                    cut.set(cutAfter.getAndSet(-1));
                    chat.set(true);
                } else if (request && startsWith(buffer, n, GET)) {
                    chat.set(false); // e.g. a health poll on a reused connection
                }
                if (!request && limit < 0 && cut.get() >= 0) {
                    limit = sent + cut.getAndSet(-1);
                }
                if (limit >= 0 && sent + n >= limit) {
                    out.write(buffer, 0, (int) (limit - sent));
                    out.flush();
                    return; // closing both sockets: the upstream "died"
                }
                out.write(buffer, 0, n);
                out.flush();
                sent += n;
                if (!request && chat.get()) {
                    long total = answerBytes.addAndGet(n);
                    if (total >= stopAt.get() && stopAt.getAndSet(Long.MAX_VALUE) != Long.MAX_VALUE) {
                        stop();
                    }
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            open.remove(from);
            open.remove(to);
        }
    }

    private static boolean startsWith(byte[] buffer, int n, byte[] prefix) {
        return n >= prefix.length && java.util.Arrays.equals(buffer, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean contains(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
