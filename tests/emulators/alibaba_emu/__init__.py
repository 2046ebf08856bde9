"""Alibaba Cloud emulator pieces for certman's integration tests (see ../alibaba_emulator.py).

One module per concern: responses (response values), clock, rpc_auth (RPC signature V1 checks), certs (upload
validation), slb (the six SLB 2014-05-15 actions), imds (ECS metadata + STS keys), faults (injection), control
(the unsigned /_emulator/ API). Python 3 stdlib plus python3-cryptography only.
"""
