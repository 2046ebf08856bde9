# jose: JWK, RFC 7638 thumbprints, flattened JWS (ES256/ES384/RS256), EAB (HS256), key authorizations.
target_sources(certman_pure PRIVATE
  src/jose/jwk.cpp
  src/jose/thumbprint.cpp
  src/jose/ecdsa_signature.cpp
  src/jose/signature.cpp
  src/jose/jws.cpp
  src/jose/eab.cpp
  src/jose/key_authorization.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE
    tests/jose/jwk_test.cpp
    tests/jose/thumbprint_test.cpp
    tests/jose/ecdsa_signature_test.cpp
    tests/jose/signature_test.cpp
    tests/jose/jws_test.cpp
    tests/jose/eab_test.cpp
    tests/jose/key_authorization_test.cpp)
endif()
