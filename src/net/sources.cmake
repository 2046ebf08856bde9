target_sources(certman_pure PRIVATE src/net/endpoint.cpp src/net/challenge_store.cpp src/net/router.cpp
  src/net/http_message.cpp src/net/response_bytes.cpp src/net/dns_message.cpp)
target_sources(certman_io PRIVATE src/net/asio_impl.cpp src/net/server.cpp src/net/session_list.cpp
  src/net/listener.cpp src/net/answer.cpp src/net/session.cpp src/net/reference_session.cpp src/net/lingering_close.cpp src/net/http_client.cpp
  src/net/trust_store.cpp src/net/dns_txt_lookup.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/net/router_test.cpp tests/net/response_bytes_test.cpp
    tests/net/dns_message_test.cpp)
  target_sources(certman_unit_io PRIVATE tests/net/connection_test.cpp tests/net/request_head_test.cpp
    tests/net/server_test.cpp tests/net/dns_txt_lookup_test.cpp tests/net/trust_store_test.cpp
    tests/net/http_client_test.cpp)
  target_include_directories(certman_unit_io PRIVATE ${CMAKE_SOURCE_DIR}/src)
endif()
