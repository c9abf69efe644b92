package org.msa4james.server.persistent;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;

/**
 * The mail queues of the persistent server: {@link DirectoryMailQueue}s, one synced file per queued mail.
 */
public final class PersistentQueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(MailQueueItemDecoratorFactory.class).to(RawMailQueueItemDecoratorFactory.class).in(Scopes.SINGLETON);
        // created early, so that it closes late (James stops in the reverse order of creation)
        bind(PersistentQueues.class).asEagerSingleton();
    }

    @Provides
    @Singleton
    DirectoryMailQueueFactory queueFactory(PersistentQueues queues) {
        return queues.factory();
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableQueues(DirectoryMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<?> queues(DirectoryMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> mailQueues(DirectoryMailQueueFactory factory) {
        return factory;
    }
}
