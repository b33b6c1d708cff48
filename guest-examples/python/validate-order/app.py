"""validate-order: the order saga's first check, in Python.

Validates the order (the state's input) against a JSON Schema with fastjsonschema,
fills in the schema's defaults, and returns the order with `itemCount` and `total`
added. An order that does not match fails the state with `Order.Invalid`, whose cause
is JSON: {"message": ..., "path": "data.items[0].quantity", "rule": "minimum"}.

Built by scripts/build-guests with componentize-py into
target/guests/validate-order.wasm (world `task` of wit/task.wit).
"""

import json
from decimal import Decimal

import fastjsonschema

import wit_world
from componentize_py_types import Err
from wit_world.imports import context
from wit_world.imports.types import TaskError

ORDER_SCHEMA = {
    "type": "object",
    "required": ["orderId", "items"],
    "properties": {
        "orderId": {"type": "string", "minLength": 1, "maxLength": 64},
        "customer": {"type": "string"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "default": "USD"},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["sku", "quantity", "price"],
                "properties": {
                    "sku": {"type": "string", "minLength": 1},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "price": {"type": "number", "minimum": 0},
                },
            },
        },
    },
}

# Compiled once, when the component is built (componentize-py snapshots the
# initialised interpreter), not on every call.
validate = fastjsonschema.compile(ORDER_SCHEMA)


def check(order):
    """Returns the validated order with its defaults, itemCount and total."""
    order = validate(order)
    total = sum(Decimal(str(i["price"])) * i["quantity"] for i in order["items"])
    order["itemCount"] = sum(i["quantity"] for i in order["items"])
    order["total"] = float(total.quantize(Decimal("0.01")))
    return order


class WitWorld(wit_world.WitWorld):
    def run(self, input: str) -> str:
        try:
            order = json.loads(input)
        except ValueError as e:
            raise Err(TaskError("Order.Invalid", json.dumps({"message": f"not JSON: {e}"})))
        try:
            order = check(order)
        except fastjsonschema.JsonSchemaValueException as e:
            context.log(context.Level.WARN, f"invalid order: {e.message}")
            cause = {"message": e.message, "path": e.name, "rule": e.rule}
            raise Err(TaskError("Order.Invalid", json.dumps(cause)))
        context.log(context.Level.INFO, f"order {order['orderId']} is valid: total {order['total']}")
        return json.dumps(order, separators=(",", ":"))
