package org.msa4james.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.apache.james.metrics.api.MetricFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisServerProcess} for a test class, nested classes included: started before the class, empty and
 * running (thawed, or started again) before each test, stopped after the class; and the gateways a test opens with
 * {@link #gateway}, closed after it. Register it as a static field with {@code @RegisterExtension}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final List<RedisGateway> gateways = new ArrayList<>();
    private RedisServerProcess redis;
    private Class<?> owner;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (owner == null) {
            owner = context.getRequiredTestClass();
            redis = RedisServerProcess.startNew();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        redis.thaw();
        if (!redis.isRunning()) {
            redis.start();
        }
        redis.commands().flushall();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        gateways.forEach(RedisGateway::close);
        gateways.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getRequiredTestClass().equals(owner)) {
            owner = null;
            redis.close();
        }
    }

    public RedisServerProcess redis() {
        return redis;
    }

    /** A gateway to this Redis, closed after the test. */
    public RedisGateway gateway(String keyPrefix, Duration timeout, MetricFactory metrics, LongSupplier nanoTime) {
        RedisGateway gateway = new RedisGateway(RedisSettings.of(redis.url(), timeout, keyPrefix), metrics, nanoTime);
        gateways.add(gateway);
        return gateway;
    }
}
