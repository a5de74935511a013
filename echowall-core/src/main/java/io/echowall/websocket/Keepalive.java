package io.echowall.websocket;

/**
 * Keepalive for one connection, without I/O: at each check, a peer heard from since the last one is
 * fine; a quiet one is pinged; one still quiet at the next check is given up on. Any input counts,
 * so a busy peer is never pinged and a quiet but healthy one answers the ping by itself.
 */
final class Keepalive {

    /** What to do at a check. */
    enum Step {
        /** The peer was heard: wait a ping interval. */
        WAIT,
        /** The peer went quiet: ping it and wait the ping timeout. */
        PING,
        /** The pinged peer stayed quiet: it is gone. */
        GIVE_UP
    }

    private boolean heard;
    private boolean pinged;

    /** The peer sent something. */
    void heard() {
        heard = true;
        pinged = false;
    }

    /** A check is due. */
    Step check() {
        if (heard) {
            heard = false;
            return Step.WAIT;
        }
        if (!pinged) {
            pinged = true;
            return Step.PING;
        }
        return Step.GIVE_UP;
    }
}
