"""Loaded by every Python process started with this folder on PYTHONPATH (the no-network test).

Refuses, before any packet is sent, every socket connection and name lookup that is not to this
machine's loopback. Jupyter's own kernel traffic goes through libzmq on loopback and is unaffected.
"""
import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def allowed(host) -> bool:
    """True for loopback addresses and names; False for anything else."""
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]")
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkDisabled(OSError):
    pass


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address[0]):
        raise NetworkDisabled(f"network disabled in this test: connection to {address!r} refused")


def connect(self, address):
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None and not allowed(host):
        raise NetworkDisabled(f"network disabled in this test: name lookup of {host!r} refused")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
