# Alibaba Cloud: pure signers and error model (RPC V1, OSS V4) in certman_pure.
target_sources(certman_pure PRIVATE
  src/cloud/alibaba/mac.cpp
  src/cloud/alibaba/percent_encode.cpp
  src/cloud/alibaba/rpc_signature.cpp
  src/cloud/alibaba/oss_v4_signature.cpp
  src/cloud/alibaba/api_error.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE
    tests/cloud/alibaba/percent_encode_test.cpp
    tests/cloud/alibaba/rpc_signature_test.cpp
    tests/cloud/alibaba/oss_v4_signature_test.cpp
    tests/cloud/alibaba/api_error_test.cpp)
endif()
