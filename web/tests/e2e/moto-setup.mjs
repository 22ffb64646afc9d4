// Creates a Cognito user pool and a public SRP app client in moto (the AWS emulator), shaped like
// deploy/terraform/auth.tf, and prints them as shell exports. Usage: node moto-setup.mjs <moto url>
const moto = (process.argv[2] ?? '').replace(/\/$/, '');
if (!moto) {
  console.error('usage: moto-setup.mjs <moto url>');
  process.exit(2);
}
async function call(target, body) {
  const res = await fetch(`${moto}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`${target}: ${JSON.stringify(data)}`);
  return data;
}
const pool = await call('CreateUserPool', {
  PoolName: 'loansyncro-web-e2e',
  UsernameAttributes: ['email'],
  AutoVerifiedAttributes: ['email'],
  Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
  Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: false }],
});
const id = pool.UserPool.Id;
const client = await call('CreateUserPoolClient', {
  UserPoolId: id,
  ClientName: 'web',
  GenerateSecret: false,
  ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
});
const region = id.split('_')[0];
console.log(`export COGNITO_POOL_ID='${id}' COGNITO_CLIENT_ID='${client.UserPoolClient.ClientId}' COGNITO_REGION='${region}'`);
