// `cloudinary-agent-account/node` for ESM: the CommonJS module, re-exported, so both module
// systems share one SaveCredentialsError class.
import cjs from './save.cjs';

export const { saveCredentials, readCloudinaryUrl, readSavedCloud, checkDestination, writeFallback, SaveCredentialsError } = cjs;
