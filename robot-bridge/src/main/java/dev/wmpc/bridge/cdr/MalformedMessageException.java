package dev.wmpc.bridge.cdr;

/** A received message that cannot be decoded or does not make sense (truncated, impossible lengths, bad fields). */
public final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) { super(message); }
}
