"""Cache keys sharded across nodes (scenario: __hash__ for cache sharding)."""


class CacheKey:
    def __init__(self, tenant, parts):
        self.tenant = tenant
        self.parts = list(parts)

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return (self.tenant, self.parts) == (other.tenant, other.parts)

    def __hash__(self):
        return hash((self.tenant, tuple(self.parts)))

    def extend(self, part):
        self.parts.append(part)  # mutates hashed state


def node_for(key, nodes):
    # hash() of a str is salted per process: workers disagree on the node.
    return nodes[hash(key.tenant) % len(nodes)]
