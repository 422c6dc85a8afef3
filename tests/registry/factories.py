"""Registry records for tests, made through the services (as the system), and valid made-up identity numbers."""

import datetime as dt
import itertools

from registry import services
from registry.catalogue import install_registry_catalogue
from yaohai.core.personal.identity import check_digit

_seq = itertools.count(1)


def make_id(born=dt.date(1980, 5, 17), *, region="340102", female=False, seq=None) -> str:
    """A made-up 居民身份证 number with a correct check digit (the 17th digit odd for a man)."""
    n = next(_seq) if seq is None else seq
    order = (n * 2) % 1000
    order = order + (0 if female else 1)
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + check_digit(body)


def building(grid, number="1", compound=None, **extra):
    install_registry_catalogue(grid.tenant)
    return services.save_building(actor=None, node=grid, number=number, compound=compound, floors=6, units=3, **extra)


def house(grid, number="101", unit="1", floor=1, **extra):
    b = extra.pop("building", None) or building(grid, number=f"B{number}-{unit}-{floor}")
    return services.save_house(actor=None, building=b, unit=unit, floor=floor, number=number, **extra)


def resident(grid, name="张三", *, house=None, phone="13905518230", id_number=None, **extra):
    return services.register_resident(
        actor=None, node=grid, name=name, id_number=id_number or make_id(), phone=phone, house=house, **extra
    )
