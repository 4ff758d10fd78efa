// Imported first by `npm start`, before any AWS SDK module loads: the SDK's warning that it will
// want Node 22 (printed once per process, so once per serverless offline worker) is not shown on
// the local console. Only the local stack sets this; deployed functions run on Node 22 anyway.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
