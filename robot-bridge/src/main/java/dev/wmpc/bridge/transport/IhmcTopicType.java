package dev.wmpc.bridge.transport;

import dev.wmpc.bridge.msg.MessageType;
import java.nio.ByteBuffer;
import us.ihmc.idl.CDR;
import us.ihmc.idl.InterchangeSerializer;
import us.ihmc.pubsub.TopicDataType;
import us.ihmc.pubsub.common.SerializedPayload;

/**
 * Adapts a {@link MessageType} to IHMC's {@link TopicDataType}. The library wants mutable samples, so each sample
 * is a {@link Sample} box holding the immutable message (or the decoding error, so bad input never throws into
 * the DDS listener thread).
 */
final class IhmcTopicType<T> implements TopicDataType<IhmcTopicType.Sample<T>> {
    static final class Sample<T> {
        T value;
        RuntimeException error;
    }

    private final MessageType<T> type;

    IhmcTopicType(MessageType<T> type) { this.type = type; }

    @Override public void serialize(Sample<T> data, SerializedPayload payload) {
        ByteBuffer buf = payload.getData();
        buf.clear();
        int n = type.encode(data.value, buf);
        buf.flip();
        payload.setLength(n);
    }

    @Override public void deserialize(SerializedPayload payload, Sample<T> data) {
        ByteBuffer buf = payload.getData().duplicate();
        buf.position(0);
        buf.limit(Math.min(payload.getLength(), buf.capacity()));
        try {
            data.value = type.decode(buf);
            data.error = null;
        } catch (RuntimeException e) {
            data.value = null;
            data.error = e;
        }
    }

    @Override public void serialize(Sample<T> data, InterchangeSerializer serializer) {
        throw new UnsupportedOperationException("interchange formats are not used");
    }

    @Override public void deserialize(InterchangeSerializer serializer, Sample<T> data) {
        throw new UnsupportedOperationException("interchange formats are not used");
    }

    @Override public void serialize(Sample<T> data, CDR cdr) {
        throw new UnsupportedOperationException("messages are written through the payload");
    }

    @Override public void deserialize(Sample<T> data, CDR cdr) {
        throw new UnsupportedOperationException("messages are read through the payload");
    }

    @Override public void copy(Sample<T> src, Sample<T> dest) {
        dest.value = src.value;
        dest.error = src.error;
    }

    @Override public int getTypeSize() { return type.maxSerializedSize(); }

    @Override public String getName() { return type.ddsTypeName(); }

    @Override public Sample<T> createData() { return new Sample<>(); }

    @Override public TopicDataType<Sample<T>> newInstance() { return new IhmcTopicType<>(type); }
}
