target_sources(certman_pure PRIVATE src/policy/ari.cpp src/policy/renewal.cpp
  src/policy/renewal_explain.cpp src/policy/json_state.cpp src/policy/backoff.cpp src/policy/authz_limiter.cpp
  src/policy/order_pacer.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/policy/ari_test.cpp
    tests/policy/renewal_test.cpp tests/policy/renewal_directory_test.cpp tests/policy/renewal_explain_test.cpp tests/policy/backoff_test.cpp
    tests/policy/authz_limiter_test.cpp tests/policy/order_pacer_test.cpp)
endif()
