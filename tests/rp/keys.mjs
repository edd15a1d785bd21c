// Key pairs for the private_key_jwt tests, made with WebCrypto as a client would: prints
// {es, rs, impostor}: {public, private} JWKs (with kid and alg). The C# test registers the public halves.
const kinds = {
  es: [{ name: 'ECDSA', namedCurve: 'P-256' }, 'ES256'],
  rs: [{ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, 'RS256'],
  // Same kind and kid as "es", never registered: an attacker's key.
  impostor: [{ name: 'ECDSA', namedCurve: 'P-256' }, 'ES256', 'es'],
};
const out = {};
for (const [name, [algorithm, alg, kidOf]] of Object.entries(kinds)) {
  const pair = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const kid = `${kidOf ?? name}-key`;
  const pub = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const priv = await crypto.subtle.exportKey('jwk', pair.privateKey);
  delete pub.key_ops; delete pub.ext;
  out[name] = { public: { ...pub, kid, alg, use: 'sig' }, private: { ...priv, kid, alg } };
}
console.log(JSON.stringify(out));
