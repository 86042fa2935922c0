// RUN: ge-opt %s --split-input-file -p convert-stream-to-memory | filecheck %s

// Results go to the outputs arena. A launch result returned exactly once is written there in
// place (see stream_to_memory.mlir); anything else returned (a function argument, a value
// returned twice, a weight's device copy) gets its own output buffer, filled by a
// stream.copy "d2d" after the last task that awaits the value's producer.
// Those copies are tasks too: the k-th one has index (number of tasks) + k, and "until the
// end" means one past the last of them (see also stream_to_memory_lifetimes.mlir).
// Tasks here: 0 h2d, 1 mul, 2..5 the four d2d copies; end = 6.

stream.kernel @mul attributes {vector_flops = 2 : i64} {
^bb0(%a: tensor<2xf32>, %b: tensor<2xf32>):
  %0 = graph.mul %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  stream.yield %0 : tensor<2xf32>
}

// CHECK-LABEL: memory.arena @inputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @outputs {size = 2048 : i64}
// CHECK-NEXT: memory.arena @weights_host {space = "host", size = 512 : i64}
// CHECK-NEXT: memory.arena @weights {size = 512 : i64}
// CHECK-NEXT: memory.arena @activations {size = 512 : i64}
// CHECK-NEXT: func.func @outs() {
// CHECK-NEXT: [[X:%.*]] = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 6>} : memref<2xf32>
// CHECK-NEXT: [[WH:%.*]] = memory.buffer @weights_host[0] {binding = "weight:scale", lifetime = array<i64: 0, 0>} : memref<2xf32>
// CHECK-NEXT: [[WD:%.*]] = memory.buffer @weights[0] {lifetime = array<i64: 0, 6>} : memref<2xf32>
// The product is returned twice: it stays in activations and is copied to both outputs.
// CHECK-NEXT: [[P:%.*]] = memory.buffer @activations[0] {lifetime = array<i64: 1, 6>} : memref<2xf32>
// CHECK-NEXT: [[O0:%.*]] = memory.buffer @outputs[0] {binding = "output:0", lifetime = array<i64: 2, 6>} : memref<2xf32>
// CHECK-NEXT: [[O1:%.*]] = memory.buffer @outputs[512] {binding = "output:1", lifetime = array<i64: 3, 6>} : memref<2xf32>
// CHECK-NEXT: [[O2:%.*]] = memory.buffer @outputs[1024] {binding = "output:2", lifetime = array<i64: 4, 6>} : memref<2xf32>
// CHECK-NEXT: [[O3:%.*]] = memory.buffer @outputs[1536] {binding = "output:3", lifetime = array<i64: 5, 6>} : memref<2xf32>
// CHECK-NEXT: [[TW:%.*]] = stream.copy "h2d" [[WH]] to [[WD]] : memref<2xf32> to memref<2xf32>
// CHECK-NEXT: [[TM:%.*]] = stream.launch @mul([[X]], [[WD]]) outs([[P]]) await([[TW]]) {stream = 1 : i64} : (memref<2xf32>, memref<2xf32>) outs(memref<2xf32>) -> ()
// CHECK-NEXT: stream.copy "d2d" [[P]] to [[O0]] await([[TM]]) : memref<2xf32> to memref<2xf32>
// A returned argument is ready at the start: nothing to await.
// CHECK-NEXT: stream.copy "d2d" [[X]] to [[O1]] : memref<2xf32> to memref<2xf32>
// CHECK-NEXT: stream.copy "d2d" [[P]] to [[O2]] await([[TM]]) : memref<2xf32> to memref<2xf32>
// A returned weight: copied from its device copy after the h2d copy.
// CHECK-NEXT: stream.copy "d2d" [[WD]] to [[O3]] await([[TW]]) : memref<2xf32> to memref<2xf32>
// CHECK-NEXT: func.return
func.func @outs(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %w = graph.weight "scale" : tensor<2xf32>
  %wd, %t0 = stream.copy "h2d" %w : tensor<2xf32> -> tensor<2xf32>
  %0, %t1 = stream.launch @mul(%x, %wd) await(%t0) {stream = 1 : i64} : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>)
  func.return %0, %x, %0, %wd : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// The identity function: no task but the d2d copy from the input to the output (task 0).

// CHECK-LABEL: memory.arena @inputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @outputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @weights_host {space = "host", size = 0 : i64}
// CHECK-NEXT: memory.arena @weights {size = 0 : i64}
// CHECK-NEXT: memory.arena @activations {size = 0 : i64}
// CHECK-NEXT: func.func @identity() {
// CHECK-NEXT: [[X:%.*]] = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 1>} : memref<3x5xbf16>
// CHECK-NEXT: [[O:%.*]] = memory.buffer @outputs[0] {binding = "output:0", lifetime = array<i64: 0, 1>} : memref<3x5xbf16>
// CHECK-NEXT: stream.copy "d2d" [[X]] to [[O]] : memref<3x5xbf16> to memref<3x5xbf16>
// CHECK-NEXT: func.return
func.func @identity(%x: tensor<3x5xbf16>) -> tensor<3x5xbf16> {
  func.return %x : tensor<3x5xbf16>
}

// -----

// A function with no results and no tasks: only input buffers.

// CHECK-LABEL: func.func @sink() {
// CHECK-NEXT: memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 0>} : memref<4xi32>
// CHECK-NEXT: memory.buffer @inputs[512] {binding = "input:1", lifetime = array<i64: 0, 0>} : memref<f64>
// CHECK-NEXT: func.return
func.func @sink(%a: tensor<4xi32>, %b: tensor<f64>) {
  func.return
}
