target_sources(certman_pure PRIVATE src/net/endpoint.cpp src/net/challenge_store.cpp src/net/router.cpp
  src/net/http_message.cpp)
target_sources(certman_io PRIVATE src/net/asio_impl.cpp src/net/server.cpp src/net/http_client.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/net/router_test.cpp)
endif()
