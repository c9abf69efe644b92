package org.msa4james.redis;

import java.time.Clock;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.msa4james.abuse.InMemorySendingCounter;
import org.msa4james.abuse.SendingCounter;

/** Messages and recipients per user counted in Redis for every node ({@code <prefix>sending:<key>}); this node's memory while Redis fails. */
@Singleton
public class RedisSendingCounter extends RedisWindowCounter implements SendingCounter {
    static final String NAMESPACE = "sending";

    @Inject
    public RedisSendingCounter(RedisGateway redis, Clock clock) {
        super(redis, NAMESPACE, new InMemorySendingCounter(clock), clock);
    }
}
