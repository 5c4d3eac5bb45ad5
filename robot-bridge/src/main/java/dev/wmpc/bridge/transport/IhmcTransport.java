package dev.wmpc.bridge.transport;

import com.eprosima.xmlschemas.fastrtps_profiles.BuiltinAttributesType;
import com.eprosima.xmlschemas.fastrtps_profiles.DurabilityQosKindPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.FlowControllerDescriptorListType;
import com.eprosima.xmlschemas.fastrtps_profiles.FlowControllerDescriptorType;
import com.eprosima.xmlschemas.fastrtps_profiles.FlowControllerSchedulerPolicy;
import com.eprosima.xmlschemas.fastrtps_profiles.PublishModeQosKindPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.PublishModeQosPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.HistoryQosKindPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.LocatorListType;
import com.eprosima.xmlschemas.fastrtps_profiles.ReliabilityQosKindPolicyType;
import com.eprosima.xmlschemas.fastrtps_profiles.TransportDescriptorType;
import com.eprosima.xmlschemas.fastrtps_profiles.Udpv4LocatorType;
import dev.wmpc.bridge.msg.MessageType;
import dev.wmpc.core.WmpcException;
import jakarta.xml.bind.JAXBElement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.xml.namespace.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import us.ihmc.pubsub.Domain;
import us.ihmc.pubsub.DomainFactory;
import us.ihmc.pubsub.attributes.ParticipantProfile;
import us.ihmc.pubsub.attributes.PublisherAttributes;
import us.ihmc.pubsub.common.SampleInfo;
import us.ihmc.pubsub.subscriber.Subscriber;
import us.ihmc.ros2.NewMessageListener;
import us.ihmc.ros2.ROS2Node;
import us.ihmc.ros2.ROS2PublisherBasics;
import us.ihmc.ros2.ROS2QosProfile;
import us.ihmc.ros2.ROS2Subscription;

/**
 * {@link Ros2Transport} over IHMC's ihmc-ros2-library (Fast DDS 2.x in native code, no ROS install needed).
 * Topic names follow ROS 2's DDS mapping ({@code rt/} prefix); type names are {@code pkg::msg::dds_::Type_}.
 * With {@link DdsSettings#localhostOnly()} the participant gets one UDPv4 transport whitelisted to 127.0.0.1
 * and unicast initial peers on 127.0.0.1 (no shared memory, nothing on other interfaces).
 */
public final class IhmcTransport implements Ros2Transport {
    private static final Logger log = LoggerFactory.getLogger(IhmcTransport.class);
    private static final String XML_NS = "http://www.eprosima.com/XMLSchemas/fastRTPS_Profiles";
    private static final String LOOPBACK = "127.0.0.1";
    /** Socket buffers big enough for a few full camera frames in flight (the OS may cap it at net.core.rmem_max). */
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Messages above this size (camera frames) are sent paced by {@link #FRAME_FLOW}. */
    private static final int LARGE_MESSAGE_BYTES = 256 * 1024;
    /**
     * Flow controller for large messages ({@link DdsSettings#framePacingKbPerMs()}): at 96 kB/ms a 640x480 rgb8 frame
     * leaves over about 10 ms instead of one burst that overflows a receiver's default 208 kB socket buffer.
     */
    private static final String FRAME_FLOW = "wmpc_frames";

    private final ROS2Node node;
    private final boolean paceFrames;
    private final List<AutoCloseable> endpoints = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Joins the DDS domain as one participant named after the node (letters, digits, underscores). */
    public IhmcTransport(String nodeName, DdsSettings settings) {
        this.paceFrames = settings.framePacingKbPerMs() > 0;
        Domain domain = DomainFactory.getDomain(DomainFactory.PubSubImplementation.FAST_RTPS);
        try {
            node = new ROS2Node(domain, nodeName, "", participantProfile(nodeName, settings));
        } catch (Exception e) {
            throw new WmpcException("cannot join DDS domain " + settings.domainId() + " as node '" + nodeName + "': " + e.getMessage(), e);
        }
        log.debug("node {} joined domain {} (localhost only: {})", nodeName, settings.domainId(), settings.localhostOnly());
    }

    static ParticipantProfile participantProfile(String nodeName, DdsSettings settings) {
        ParticipantProfile p = ParticipantProfile.create().domainId(settings.domainId()).name(nodeName);
        if (settings.framePacingKbPerMs() > 0) {
            FlowControllerDescriptorType flow = new FlowControllerDescriptorType();
            flow.setName(FRAME_FLOW);
            flow.setScheduler(FlowControllerSchedulerPolicy.FIFO);
            flow.setMaxBytesPerPeriod(settings.framePacingKbPerMs() * 1024);
            flow.setPeriodMs(java.math.BigInteger.ONE);
            FlowControllerDescriptorListType flows = new FlowControllerDescriptorListType();
            flows.getFlowControllerDescriptor().add(flow);
            p.getProfile().getRtps().setFlowControllerDescriptorList(flows);
        }
        List<String> peers = new ArrayList<>(settings.staticPeers());
        if (settings.localhostOnly()) {
            p.useBuiltinTransports(false);
            TransportDescriptorType udp = new TransportDescriptorType();
            // Fast DDS keeps XML transport ids process-wide: one id per participant
            udp.setTransportId("wmpc_udpv4_loopback_" + java.util.UUID.randomUUID());
            udp.setType("UDPv4");
            udp.setMaxInitialPeersRange(32L);
            udp.setSendBufferSize((long) SOCKET_BUFFER_BYTES);
            udp.setReceiveBufferSize((long) SOCKET_BUFFER_BYTES);
            TransportDescriptorType.InterfaceWhiteList allow = new TransportDescriptorType.InterfaceWhiteList();
            allow.getAddressOrInterface().add(new JAXBElement<>(new QName(XML_NS, "address"), String.class, LOOPBACK));
            udp.setInterfaceWhiteList(allow);
            p.addTransport(udp);
            peers.add(0, LOOPBACK);
        } else if (!peers.isEmpty()) {
            peers.add(0, "239.255.0.1"); // an explicit peer list replaces Fast DDS's default: keep multicast discovery too
        }
        if (!peers.isEmpty()) {
            LocatorListType list = new LocatorListType();
            for (String address : peers) {
                Udpv4LocatorType u = new Udpv4LocatorType();
                u.setAddress(address);
                LocatorListType.Locator loc = new LocatorListType.Locator();
                loc.getUdpv4().add(u);
                list.getLocator().add(loc);
            }
            BuiltinAttributesType builtin = p.getProfile().getRtps().getBuiltin();
            builtin.setInitialPeersList(list);
        }
        return p;
    }

    private static ROS2QosProfile qos(Qos q) {
        return new ROS2QosProfile(HistoryQosKindPolicyType.KEEP_LAST, q.depth(),
                q.reliability() == Qos.Reliability.RELIABLE ? ReliabilityQosKindPolicyType.RELIABLE : ReliabilityQosKindPolicyType.BEST_EFFORT,
                q.durability() == Qos.Durability.TRANSIENT_LOCAL ? DurabilityQosKindPolicyType.TRANSIENT_LOCAL : DurabilityQosKindPolicyType.VOLATILE,
                false);
    }

    private static void checkTopic(String topic) {
        if (!topic.matches("(/[A-Za-z_][A-Za-z0-9_]*)+"))
            throw new WmpcException("topic '" + topic + "' is not a fully qualified ROS name (like /camera/image_raw)");
    }

    @Override public <T> Publisher<T> publisher(String topic, MessageType<T> type, Qos qos) {
        checkTopic(topic);
        IhmcTopicType<T> dataType = new IhmcTopicType<>(type);
        ROS2PublisherBasics<IhmcTopicType.Sample<T>> pub;
        try {
            PublisherAttributes attributes = node.createPublisherAttributes(dataType, topic, qos(qos));
            if (paceFrames && type.maxSerializedSize() > LARGE_MESSAGE_BYTES) {
                PublishModeQosPolicyType mode = new PublishModeQosPolicyType();
                mode.setKind(PublishModeQosKindPolicyType.ASYNCHRONOUS);
                mode.setFlowControllerName(FRAME_FLOW);
                attributes.getProfile().getQos().setPublishMode(mode);
            }
            pub = node.createPublisher(dataType, attributes);
        } catch (Exception e) {
            throw new WmpcException("cannot publish " + type.rosName() + " on " + topic + ": " + e.getMessage(), e);
        }
        Publisher<T> out = new Publisher<>() {
            @Override public boolean publish(T message) {
                if (closed) return false;
                IhmcTopicType.Sample<T> s = new IhmcTopicType.Sample<>();
                s.value = message;
                return pub.publish(s);
            }
            @Override public void close() { endpoints.remove(this); pub.remove(); }
        };
        endpoints.add(out);
        return out;
    }

    @Override public <T> Subscription subscribe(String topic, MessageType<T> type, Qos qos, Consumer<T> onMessage,
                                               Consumer<RuntimeException> onMalformed) {
        checkTopic(topic);
        IhmcTopicType<T> dataType = new IhmcTopicType<>(type);
        var listener = new NewMessageListener<IhmcTopicType.Sample<T>>() {
            private final SampleInfo info = new SampleInfo();
            private final IhmcTopicType.Sample<T> sample = new IhmcTopicType.Sample<>();
            /** Set (under this listener's lock) before the subscription is removed; see the subscription's close. */
            private boolean removed;

            @Override public void onNewDataMessage(Subscriber<IhmcTopicType.Sample<T>> subscriber) {
                // one sample per callback: the native side fires once per received sample (and prints when empty)
                synchronized (this) {
                    if (closed || removed || !subscriber.takeNextData(sample, info)) return;
                }
                try {
                    if (sample.error != null) onMalformed.accept(sample.error);
                    else if (sample.value != null) onMessage.accept(sample.value);
                } catch (RuntimeException e) {
                    log.warn("handler for {} failed: {}", topic, e.toString());
                } finally {
                    sample.value = null;
                    sample.error = null;
                }
            }
        };
        ROS2Subscription<IhmcTopicType.Sample<T>> sub;
        try {
            sub = node.createSubscription(dataType, listener, node.createSubscriberAttributes(topic, dataType, qos(qos)));
        } catch (Exception e) {
            throw new WmpcException("cannot subscribe to " + type.rosName() + " on " + topic + ": " + e.getMessage(), e);
        }
        Subscription out = new Subscription() {
            /**
             * The library's remove holds the subscriber's lock while the native side waits for a running callback to
             * return, and a callback's takeNextData needs that same lock: removing during a callback deadlocks. So
             * first make sure no callback takes data any more (a callback inside takeNextData finishes first), then remove.
             */
            @Override public void close() {
                synchronized (listener) { listener.removed = true; }
                endpoints.remove(this);
                sub.remove();
            }
        };
        endpoints.add(out);
        return out;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        for (AutoCloseable e : endpoints) {
            try {
                e.close();
            } catch (Exception ex) {
                log.debug("closing endpoint: {}", ex.toString());
            }
        }
        node.destroy();
    }
}
