"""Admin walk cases of the mediation app (tests/grids/test_admin_walk.py collects them)."""


def _mediation(what):
    """A mediation body of the tenant's first community with a mediator and a case (mediation/admin.py)."""

    def make(world, key):
        from mediation import services as mediation_services
        from mediation.models import Body, DisputeType, Mediator

        node = world.node(f"{key}/S1/C1")
        kind = DisputeType.objects.get(tenant=node.tenant, code="neighbours")
        if what == "DisputeType":
            return kind
        body = Body(kind="community", name=f"{key}调委会", node=node)
        body.stamp_from(node)
        body.save()
        if what == "Body":
            return body
        if what == "Mediator":
            return Mediator.objects.create(body=body, name=f"{key}调解员", kind="peoples")
        return mediation_services.register_case(
            actor=world.user(f"{key}/S1/C1:grid_head"), node=node, channel="walk_in", dispute_type=kind,
            facts="纠纷", parties=[{"role": "applicant", "kind": "person", "name": "张三"}],
        )

    return make


SCOPED = {name: _mediation(name) for name in ("DisputeType", "Body", "Mediator", "Case")}
PLATFORM_ONLY = {}
SHARED = {}
