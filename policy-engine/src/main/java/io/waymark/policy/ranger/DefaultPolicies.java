package io.waymark.policy.ranger;

import org.apache.ranger.plugin.model.RangerPolicy;
import org.apache.ranger.plugin.model.RangerPolicy.RangerDataMaskPolicyItem;
import org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyItem;
import org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyItemAccess;
import org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyItemDataMaskInfo;
import org.apache.ranger.plugin.model.RangerPolicy.RangerPolicyResource;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The tag-based policies Waymark offers for the tags it pushes, as Apache Ranger's own
 * RangerPolicy documents for a tag service: hash every PII-coded column for everyone (a data
 * masking policy), and deny reading sensitive authentication data (PCI.SAD.*) at all. A tag
 * resource lists tag names exactly (Ranger's tag service def matches them without wildcards), so
 * the policies name every code of the taxonomy in those families. Access types of a tag service
 * carry their component's prefix ({@code hive:select}).
 */
public final class DefaultPolicies {
    public static final String MASK_PII = "waymark: mask PII";
    public static final String DENY_SAD = "waymark: deny PCI sensitive authentication data";
    private static final List<String> PUBLIC = List.of("public");

    private DefaultPolicies() {}

    /** {@code codes}: every classification code of the taxonomy. */
    public static List<RangerPolicy> build(String tagService, Collection<String> codes) {
        List<String> pii = codes.stream().filter(c -> c.startsWith("PII.")).sorted().toList();
        List<String> sad = codes.stream().filter(c -> c.startsWith("PCI.SAD")).sorted().toList();

        RangerPolicy mask = policy(tagService, MASK_PII, RangerPolicy.POLICY_TYPE_DATAMASK, pii,
                "Columns Waymark classified as personal data are hashed for every user (Waymark's classification, Ranger's enforcement).");
        mask.setDataMaskPolicyItems(List.of(new RangerDataMaskPolicyItem(List.of(new RangerPolicyItemAccess("hive:select", true)),
                new RangerPolicyItemDataMaskInfo("hive:MASK_HASH", null, null), null, PUBLIC, null, null, false)));

        RangerPolicy deny = policy(tagService, DENY_SAD, RangerPolicy.POLICY_TYPE_ACCESS, sad,
                "PCI DSS 3.3.1: sensitive authentication data is not to be read after authorisation.");
        deny.setDenyPolicyItems(List.of(new RangerPolicyItem(List.of("select", "update", "read", "write").stream()
                .map(a -> new RangerPolicyItemAccess("hive:" + a, true)).toList(), null, PUBLIC, null, null, false)));
        return List.of(mask, deny);
    }

    private static RangerPolicy policy(String service, String name, int type, List<String> tags, String description) {
        RangerPolicy policy = new RangerPolicy();
        policy.setService(service);
        policy.setName(name);
        policy.setPolicyType(type);
        policy.setDescription(description);
        policy.setIsEnabled(true);
        policy.setIsAuditEnabled(true);
        policy.setResources(Map.of("tag", new RangerPolicyResource(tags, false, false)));
        return policy;
    }
}
