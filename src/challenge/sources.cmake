# Challenge solvers (include/certman/acme/challenge_solver.hpp is the interface the ACME driver calls):
# HTTP-01 from memory and through shared storage; DNS-01 on Alibaba Cloud DNS.
target_sources(certman_io PRIVATE src/challenge/http01_solver.cpp src/challenge/dns01_alidns_solver.cpp)
if(CERTMAN_TESTS)
  target_include_directories(certman_unit_io PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  target_sources(certman_unit_io PRIVATE tests/challenge/http01_solver_test.cpp tests/challenge/dns01_alidns_solver_test.cpp)
endif()
