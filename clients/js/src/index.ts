export { TernClient } from "./client.js";
export type { ClientOptions, SendInput, TernListener } from "./client.js";
export { TernError } from "./errors.js";
export type { ClientErrorCode } from "./errors.js";
export { TernMedia } from "./media.js";
export type { UploadData, UploadOptions } from "./media.js";
export type { WebSocketConstructor, WebSocketLike } from "./wire.js";
export type * from "./types.js";
