# Alibaba Cloud. Pure (certman_pure): signers, error model, retry decisions, SLB answer parsing, STS documents.
# I/O (certman_io): the credential chain, the metadata-service client, signed RPC calls, the SLB client.
target_sources(certman_pure PRIVATE
  src/cloud/alibaba/mac.cpp
  src/cloud/alibaba/percent_encode.cpp
  src/cloud/alibaba/canonical_query.cpp
  src/cloud/alibaba/rpc_signature.cpp
  src/cloud/alibaba/acs3_signature.cpp
  src/cloud/alibaba/oss_v4_signature.cpp
  src/cloud/alibaba/api_error.cpp
  src/cloud/alibaba/nonce.cpp
  src/cloud/alibaba/rpc_retry.cpp
  src/cloud/alibaba/slb_model.cpp
  src/cloud/alibaba/alidns_model.cpp
  src/cloud/alibaba/cas_model.cpp
  src/cloud/alibaba/lb_listener_model.cpp
  src/cloud/alibaba/sts_credentials.cpp
  src/cloud/alibaba/page_guard.cpp
  src/cloud/alibaba/bounded_text.cpp)
target_sources(certman_io PRIVATE
  src/cloud/alibaba/ecs_metadata.cpp
  src/cloud/alibaba/credentials_provider.cpp
  src/cloud/alibaba/rpc_client.cpp
  src/cloud/alibaba/slb_client.cpp
  src/cloud/alibaba/alidns_client.cpp
  src/cloud/alibaba/cas_client.cpp
  src/cloud/alibaba/alb_client.cpp
  src/cloud/alibaba/nlb_client.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE
    tests/cloud/alibaba/percent_encode_test.cpp
    tests/cloud/alibaba/canonical_query_test.cpp
    tests/cloud/alibaba/rpc_signature_test.cpp
    tests/cloud/alibaba/acs3_signature_test.cpp
    tests/cloud/alibaba/oss_v4_signature_test.cpp
    tests/cloud/alibaba/api_error_test.cpp
    tests/cloud/alibaba/nonce_test.cpp
    tests/cloud/alibaba/rpc_retry_test.cpp
    tests/cloud/alibaba/slb_model_test.cpp
    tests/cloud/alibaba/alidns_model_test.cpp
    tests/cloud/alibaba/cas_model_test.cpp
    tests/cloud/alibaba/lb_listener_model_test.cpp
    tests/cloud/alibaba/sts_credentials_test.cpp
    tests/cloud/alibaba/page_guard_test.cpp)
  target_include_directories(certman_unit_io PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  target_sources(certman_unit_io PRIVATE
    tests/cloud/alibaba/credentials_provider_io_test.cpp
    tests/cloud/alibaba/cas_client_io_test.cpp)
endif()
