# crypto: keys, PEM, CSR, certificate facts, digests (pure: OpenSSL only).
target_sources(certman_pure PRIVATE
  src/crypto/openssl_handles.cpp
  src/crypto/key_type.cpp
  src/crypto/private_key.cpp
  src/crypto/pem.cpp
  src/crypto/digest.cpp
  src/crypto/hex.cpp
  src/crypto/subject_names.cpp
  src/crypto/csr.cpp
  src/crypto/self_signed.cpp
  src/crypto/pem_chain.cpp
  src/crypto/certificate.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE
    tests/crypto/key_type_test.cpp
    tests/crypto/private_key_test.cpp
    tests/crypto/pem_test.cpp
    tests/crypto/digest_test.cpp
    tests/crypto/hex_test.cpp
    tests/crypto/csr_test.cpp
    tests/crypto/self_signed_test.cpp
    tests/crypto/certificate_test.cpp)
endif()
