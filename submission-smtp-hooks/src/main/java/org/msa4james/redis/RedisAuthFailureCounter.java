package org.msa4james.redis;

import java.time.Clock;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.msa4james.abuse.AuthFailureCounter;
import org.msa4james.abuse.InMemoryAuthFailureCounter;

/** Failed AUTH counted in Redis for every node ({@code <prefix>auth-failures:<key>}); this node's memory while Redis fails. */
@Singleton
public class RedisAuthFailureCounter extends RedisWindowCounter implements AuthFailureCounter {
    static final String NAMESPACE = "auth-failures";

    @Inject
    public RedisAuthFailureCounter(RedisGateway redis, Clock clock) {
        super(redis, NAMESPACE, new InMemoryAuthFailureCounter(clock), clock);
    }
}
