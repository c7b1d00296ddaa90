class CacheKey:
    def __init__(self, tenant, key):
        self.tenant = tenant
        self.key = key

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return (self.tenant, self.key) == (other.tenant, other.key)


class Plain:
    pass
