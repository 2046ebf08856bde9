"""Alibaba Cloud emulator pieces for certman's integration tests (see ../alibaba_emulator.py).

One module per concern: responses (response values), clock, keys (AK + STS), rpc_auth (RPC V1 checks), certs (upload
validation), slb (the six SLB 2014-05-15 actions), imds (ECS metadata + STS keys), faults (injection), control
(the unsigned /_emulator/ API), oss_auth + oss (OSS V4 and objects). Python 3 stdlib plus python3-cryptography.
"""
