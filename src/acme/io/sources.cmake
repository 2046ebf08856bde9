# The ACME coroutine driver (I/O): lives in certman_io on top of the pure acme layer.
target_sources(certman_io PRIVATE src/acme/client.cpp src/acme/client_order.cpp src/acme/challenge_solver.cpp
  src/acme/client_key_change.cpp)
