// The error class of the package. It lives in JavaScript because a Rust type cannot extend
// Error; Rust builds every instance through this constructor (src/wasm/convert.rs).
export class AgentAccountError extends Error {
  constructor(message, details) {
    super(message);
    this.name = "AgentAccountError";
    Object.assign(this, details);
  }
}
