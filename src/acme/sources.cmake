# ACME (RFC 8555): pure resources, JSON mapping, problems, nonce pool, links and the order state machine.
# The coroutine driver (client.cpp) belongs to certman_io.
target_sources(certman_pure PRIVATE
  src/acme/identifier.cpp src/acme/json_read.cpp src/acme/time_format.cpp src/acme/problem.cpp
  src/acme/directory.cpp src/acme/account.cpp src/acme/order.cpp src/acme/authorization.cpp
  src/acme/payloads.cpp src/acme/nonce_pool.cpp src/acme/link.cpp
  src/acme/order_flow.cpp src/acme/order_flow_authz.cpp src/acme/issued_check.cpp src/acme/key_change.cpp src/acme/dns01.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE
    tests/acme/time_format_test.cpp tests/acme/problem_test.cpp tests/acme/directory_test.cpp
    tests/acme/order_test.cpp tests/acme/authorization_test.cpp tests/acme/payloads_test.cpp
    tests/acme/nonce_pool_test.cpp tests/acme/link_test.cpp tests/acme/order_flow_test.cpp
    tests/acme/issued_check_test.cpp tests/acme/key_change_test.cpp tests/acme/dns01_test.cpp)
endif()
