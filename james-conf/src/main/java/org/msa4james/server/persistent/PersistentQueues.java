package org.msa4james.server.persistent;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;

/**
 * James's ActiveMQ mail queues on the {@link EmbeddedBroker}, each message inside its journal record (no blob
 * files, which ActiveMQ writes without a sync). Closed before the broker stops.
 */
@Singleton
public final class PersistentQueues {
    private final ActiveMQMailQueueFactory factory;

    @Inject
    public PersistentQueues(EmbeddedBroker broker, MailQueueItemDecoratorFactory decorators, MetricFactory metricFactory,
                            GaugeRegistry gaugeRegistry, ActiveMQMetricCollector metricCollector) {
        this.factory = new ActiveMQMailQueueFactory(broker.connectionFactory(), decorators, metricFactory, gaugeRegistry,
            metricCollector);
        factory.setUseBlobMessages(false);
        factory.setUseJMX(false);
        factory.init();
    }

    public ActiveMQMailQueueFactory factory() {
        return factory;
    }

    /**
     * Closes every queue. James's stop may leave the calling thread interrupted (its spooler interrupts its workers);
     * an interrupted thread cannot close ActiveMQ connections, so the flag is put aside while the queues close.
     */
    @PreDestroy
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            factory.destroy();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
