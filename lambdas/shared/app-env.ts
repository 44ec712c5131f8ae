/** The Hono environment of every mlwatch app: what a Lambda invocation binds, and what the middlewares set. */
export interface AppEnv {
  Bindings: {
    event?: { requestContext?: { requestId?: string; identity?: { userArn?: string | null; caller?: string | null } } };
    lambdaContext?: { awsRequestId?: string };
  };
  Variables: {
    requestId: string;
    caller: string;
  };
}
