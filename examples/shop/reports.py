"""Deeply nested models with debugging reprs (scenario: 500 KB reprs)."""


class Customer:
    def __init__(self, cid, orders):
        self.id = cid
        self.orders = orders

    def __repr__(self):
        # Formats every order, item and price: the repr grows with the graph.
        return f"Customer({self.__dict__})"


class Order:
    def __init__(self, oid, customer):
        self.id = oid
        self.customer = customer

    def __str__(self):
        return f"Order {self}"  # str(self) inside __str__: RecursionError
