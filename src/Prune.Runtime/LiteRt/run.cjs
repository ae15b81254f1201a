// Runs one .tflite model in Google's LiteRT (@litertjs/core, WebAssembly CPU) on many samples in one process.
//
// usage: node run.cjs <model.tflite> <inputs.f32> <outputs.f32> [modules-dir] [--time <warm-up> <runs> <timings.f64>]
//   inputs.f32   little-endian float32 samples back to back, each the size of the model's first input
//   outputs.f32  written: the first output of every sample, back to back
//   modules-dir  the node_modules holding @litertjs/core (default: the one beside this script)
//   --time       then runs the first sample <warm-up> times untimed and <runs> times timed, one inference at a time
//                (batch 1), and writes each timed run's milliseconds as little-endian float64 to timings.f64. A run is
//                what a caller pays per inference: the input tensor made, the model run, the output read, both freed;
//                the process's start and the model's loading are outside it.
//
// usage: node run.cjs --interleave <warm-up> <runs> <timings.f64> <sample.f32> <modules-dir> <model.tflite>...
//   Loads every model, runs each <warm-up> times untimed, then <runs> rounds in which every model runs the sample once
//   (batch 1, timed as above), starting with a different model each round, so that a busy moment of a shared machine
//   falls on all of them alike. Writes the milliseconds as little-endian float64, model by model (<runs> each).
//   Prints "RESULT <models> <runs>".
// Prints "RESULT <samples> <outputSize>" on success. Any line the runtime logs that contains "ERROR"
// (LiteRT does not throw when an operator fails to prepare: it logs and computes garbage), any exception,
// or a size mismatch prints "ERROR <message>" and exits with code 1.
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');
const { pathToFileURL } = require('url');

const args = process.argv.slice(2);
const interleave = args[0] === '--interleave';
const timeAt = args.indexOf('--time');
const [modelPath, inputPath, outputPath, modulesArg] = timeAt >= 0 ? args.slice(0, timeAt) : args;
const timing = timeAt >= 0 ? { warmUp: Number(args[timeAt + 1]), runs: Number(args[timeAt + 2]), path: args[timeAt + 3] } : null;
const modulesDir = modulesArg ?? path.join(__dirname, 'node_modules');
const runtimeLog = [];

function fail(message) {
  process.stdout.write(`ERROR ${String(message).replace(/\s+/g, ' ')}\n`);
  process.exit(1);
}

// What the runtime prints (TFLite's own log) fails the run on an ERROR line. The JavaScript wrapper's console
// chatter (e.g. that there is no WebGPU device in Node) is kept but is no failure: we ask for the wasm CPU path.
function runtimePrint(text) {
  const line = String(text);
  runtimeLog.push(line);
  if (/ERROR|failed to prepare/.test(line)) fail(`LiteRT: ${line}`);
}
for (const name of ['log', 'info', 'warn', 'error', 'debug']) console[name] = (...args) => runtimeLog.push(args.join(' '));

// The Emscripten loader is CommonJS inside a "type": "module" package: evaluate it as CommonJS ourselves
// (require refuses it), and let the package's browser loader find it through importScripts.
function importScripts(url) {
  const file = url.startsWith('file:') ? new URL(url).pathname : url;
  const source = fs.readFileSync(file, 'utf8');
  const module = { exports: {} };
  const factory = new Function('module', 'exports', 'require', '__filename', '__dirname', source);
  factory(module, module.exports, createRequire(file), file, path.dirname(file));
  globalThis.ModuleFactory = module.exports;
}

async function loadCore(modules) {
  globalThis.self = globalThis;
  globalThis.importScripts = importScripts;
  globalThis.Module = { print: runtimePrint, printErr: runtimePrint };
  const corePath = path.join(modules, '@litertjs', 'core');
  const core = await import(pathToFileURL(path.join(corePath, 'dist', 'index.js')).href);
  await core.loadLiteRt(path.join(corePath, 'wasm') + path.sep);
  return core;
}

// readFileSync may return a view into a shared pool: copy into buffers of our own.
function readFloats(file) {
  const bytes = fs.readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function load(core, file) {
  const model = await core.loadAndCompile(new Uint8Array(fs.readFileSync(file)), { accelerator: 'wasm' });
  const details = model.getInputDetails();
  if (details.length !== 1) fail(`${file}: the model has ${details.length} inputs; Prune's models have one`);
  return { model, shape: Array.from(details[0].shape) };
}

async function main() {
  if (interleave) return timeInterleaved();
  if (!modelPath || !inputPath || !outputPath) fail('usage: node run.cjs <model.tflite> <inputs.f32> <outputs.f32> [modules-dir] [--time <warm-up> <runs> <timings.f64>]');
  if (timing && !(Number.isInteger(timing.warmUp) && timing.warmUp >= 0 && Number.isInteger(timing.runs) && timing.runs >= 1 && timing.path)) {
    fail('--time needs a warm-up count (0 or more), a run count (1 or more) and a timings file');
  }
  const core = await loadCore(modulesDir);
  const inputs = readFloats(inputPath);
  const { model, shape } = await load(core, modelPath);
  const inputSize = shape.reduce((a, b) => a * b, 1);
  if (inputs.length % inputSize !== 0) fail(`the input file holds ${inputs.length} floats, not a multiple of the input size ${inputSize} (shape [${shape}])`);
  const samples = inputs.length / inputSize;

  let outputs = null;
  let outputSize = 0;
  for (let s = 0; s < samples; s++) {
    const input = new core.Tensor(inputs.slice(s * inputSize, (s + 1) * inputSize), shape);
    const results = await model.run(input);
    const values = results[0].toTypedArray();
    if (outputs === null) {
      outputSize = values.length;
      outputs = new Float32Array(samples * outputSize);
    } else if (values.length !== outputSize) {
      fail(`sample ${s} gave ${values.length} outputs, sample 0 gave ${outputSize}`);
    }
    outputs.set(values, s * outputSize);
    input.delete();
    for (const r of results) r.delete();
  }
  fs.writeFileSync(outputPath, Buffer.from(outputs ? outputs.buffer : new ArrayBuffer(0)));
  if (timing && samples > 0) await time(core, model, inputs.slice(0, inputSize), shape);
  model.delete();
  process.stdout.write(`RESULT ${samples} ${outputSize}\n`);
}

// Batch-1 latency: every run makes its input tensor, runs the model and copies the output out, as a caller does.
async function runOnce(core, model, sample, shape) {
  const start = process.hrtime.bigint();
  const input = new core.Tensor(sample, shape);
  const results = await model.run(input);
  results[0].toTypedArray();
  input.delete();
  for (const r of results) r.delete();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function time(core, model, sample, shape) {
  const timings = new Float64Array(timing.runs);
  for (let i = 0; i < timing.warmUp + timing.runs; i++) {
    const elapsed = await runOnce(core, model, sample, shape);
    if (i >= timing.warmUp) timings[i - timing.warmUp] = elapsed;
  }
  fs.writeFileSync(timing.path, Buffer.from(timings.buffer));
}

async function timeInterleaved() {
  const [warmUpArg, runsArg, timingsPath, samplePath, modules, ...modelPaths] = args.slice(1);
  const warmUp = Number(warmUpArg), runs = Number(runsArg);
  if (!(Number.isInteger(warmUp) && warmUp >= 0 && Number.isInteger(runs) && runs >= 1 && timingsPath && samplePath && modules && modelPaths.length >= 1)) {
    fail('usage: node run.cjs --interleave <warm-up> <runs> <timings.f64> <sample.f32> <modules-dir> <model.tflite>...');
  }
  const core = await loadCore(modules);
  const sample = readFloats(samplePath);
  const models = [];
  for (const file of modelPaths) {
    const loaded = await load(core, file);
    const size = loaded.shape.reduce((a, b) => a * b, 1);
    if (size !== sample.length) fail(`${file}: its input [${loaded.shape}] holds ${size} values; the sample has ${sample.length}`);
    models.push(loaded);
  }
  for (const { model, shape } of models) for (let i = 0; i < warmUp; i++) await runOnce(core, model, sample, shape);
  const timings = new Float64Array(models.length * runs);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < models.length; k++) {
      const m = (r + k) % models.length;
      timings[m * runs + r] = await runOnce(core, models[m].model, sample, models[m].shape);
    }
  }
  fs.writeFileSync(timingsPath, Buffer.from(timings.buffer));
  for (const { model } of models) model.delete();
  process.stdout.write(`RESULT ${models.length} ${runs}\n`);
}

main().catch(e => fail(e && e.stack ? e.stack : e));
