package org.msa4james.server.persistent;

import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.Mappings;

/**
 * James's JPA recipient rewrite table with its stored mappings kept in a {@link ReadCache}: each recipient, and each
 * sender checked against its aliases, asks for them, and each answer from Derby costs a query. Every change of a
 * mapping (alias, forward, group, domain mapping) on this server takes effect at once.
 */
public class CachingJpaRecipientRewriteTable extends JPARecipientRewriteTable {
    private static final int MAX_ENTRIES = 10_000;

    private final ReadCache<MappingSource, Mappings> stored = new ReadCache<>(CachingJpaDomainList.TIME_TO_LIVE, MAX_ENTRIES);

    @Override
    public Mappings getStoredMappings(MappingSource source) throws RecipientRewriteTableException {
        return stored.get(source, super::getStoredMappings);
    }

    @Override
    public void addMapping(MappingSource source, Mapping mapping) throws RecipientRewriteTableException {
        stored.invalidateAll();
        try {
            super.addMapping(source, mapping);
        } finally {
            stored.invalidateAll();
        }
    }

    @Override
    public void removeMapping(MappingSource source, Mapping mapping) throws RecipientRewriteTableException {
        stored.invalidateAll();
        try {
            super.removeMapping(source, mapping);
        } finally {
            stored.invalidateAll();
        }
    }
}
