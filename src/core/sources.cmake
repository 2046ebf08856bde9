target_sources(certman_pure PRIVATE src/core/errc.cpp src/core/base64url.cpp src/core/duration.cpp src/core/rfc3339.cpp
  src/core/digits.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/core/base64url_test.cpp tests/core/duration_test.cpp
    tests/core/rfc3339_test.cpp tests/core/failure_test.cpp tests/core/digits_test.cpp)
endif()
