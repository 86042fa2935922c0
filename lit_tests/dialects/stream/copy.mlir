// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | ge-opt --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=CHECK-GENERIC

// stream.copy: kinds h2d / d2h / d2d, DMA queue (default 0 elided), awaits.
// Tensor form: `-> type` result (plus the timepoint). Buffer form: `to %dest`, timepoint only.

// CHECK-LABEL: func.func @tensor_form(%h: tensor<3x4xf32>, %d: tensor<2xi64>, %ready: !stream.timepoint) -> (tensor<3x4xf32>, tensor<2xi64>) {
// CHECK-NEXT: [[W:%.*]], [[T0:%.*]] = stream.copy "h2d" %h : tensor<3x4xf32> -> tensor<3x4xf32>
// CHECK-NEXT: [[D:%.*]], [[T1:%.*]] = stream.copy "d2h" %d await(%ready) {queue = 1 : i64} : tensor<2xi64> -> tensor<2xi64>
// CHECK-NEXT: [[E:%.*]], {{%.*}} = stream.copy "d2d" [[W]] await([[T0]], [[T1]]) {queue = 2 : i64} : tensor<3x4xf32> -> tensor<3x4xf32>
// CHECK-NEXT: func.return [[E]], [[D]] : tensor<3x4xf32>, tensor<2xi64>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "tensor_form"
// CHECK-GENERIC-NEXT: ^bb0(%h: tensor<3x4xf32>, %d: tensor<2xi64>, %ready: !stream.timepoint):
// CHECK-GENERIC-NEXT: [[W:%.*]], [[T0:%.*]] = "stream.copy"(%h) <{kind = "h2d", operandSegmentSizes = array<i32: 1, 0, 0>, queue = 0 : i64}> : (tensor<3x4xf32>) -> (tensor<3x4xf32>, !stream.timepoint)
// CHECK-GENERIC-NEXT: [[D:%.*]], [[T1:%.*]] = "stream.copy"(%d, %ready) <{kind = "d2h", queue = 1 : i64, operandSegmentSizes = array<i32: 1, 0, 1>}> : (tensor<2xi64>, !stream.timepoint) -> (tensor<2xi64>, !stream.timepoint)
// CHECK-GENERIC-NEXT: [[E:%.*]], {{%.*}} = "stream.copy"([[W]], [[T0]], [[T1]]) <{kind = "d2d", queue = 2 : i64, operandSegmentSizes = array<i32: 1, 0, 2>}> : (tensor<3x4xf32>, !stream.timepoint, !stream.timepoint) -> (tensor<3x4xf32>, !stream.timepoint)
// CHECK-GENERIC-NEXT: "func.return"([[E]], [[D]]) : (tensor<3x4xf32>, tensor<2xi64>) -> ()
func.func @tensor_form(%h: tensor<3x4xf32>, %d: tensor<2xi64>, %ready: !stream.timepoint) -> (tensor<3x4xf32>, tensor<2xi64>) {
  %w, %t0 = stream.copy "h2d" %h : tensor<3x4xf32> -> tensor<3x4xf32>
  %back, %t1 = stream.copy "d2h" %d await(%ready) {queue = 1 : i64} : tensor<2xi64> -> tensor<2xi64>
  %e, %t2 = stream.copy "d2d" %w await(%t0, %t1) {queue = 2 : i64} : tensor<3x4xf32> -> tensor<3x4xf32>
  func.return %e, %back : tensor<3x4xf32>, tensor<2xi64>
}

// -----

// Buffer form between arena buffers; an explicit queue = 0 is elided.

memory.arena @weights_host {space = "host", size = 512 : i64}
memory.arena @weights {size = 1024 : i64}

// CHECK-LABEL: func.func @buffer_form() {
// CHECK-NEXT: [[H:%.*]] = memory.buffer @weights_host[0] : memref<3x4xf16>
// CHECK-NEXT: [[D:%.*]] = memory.buffer @weights[0] : memref<3x4xf16>
// CHECK-NEXT: [[D2:%.*]] = memory.buffer @weights[512] : memref<3x4xf16>
// CHECK-NEXT: [[T0:%.*]] = stream.copy "h2d" [[H]] to [[D]] : memref<3x4xf16> to memref<3x4xf16>
// CHECK-NEXT: [[T1:%.*]] = stream.copy "d2d" [[D]] to [[D2]] await([[T0]]) {queue = 3 : i64} : memref<3x4xf16> to memref<3x4xf16>
// CHECK-NEXT: {{%.*}} = stream.copy "d2h" [[D2]] to [[H]] await([[T1]]) : memref<3x4xf16> to memref<3x4xf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "buffer_form"
// CHECK-GENERIC: [[T0:%.*]] = "stream.copy"([[H:%.*]], [[D:%.*]]) <{kind = "h2d", operandSegmentSizes = array<i32: 1, 1, 0>, queue = 0 : i64}> : (memref<3x4xf16>, memref<3x4xf16>) -> !stream.timepoint
// CHECK-GENERIC-NEXT: [[T1:%.*]] = "stream.copy"([[D]], [[D2:%.*]], [[T0]]) <{kind = "d2d", queue = 3 : i64, operandSegmentSizes = array<i32: 1, 1, 1>}> : (memref<3x4xf16>, memref<3x4xf16>, !stream.timepoint) -> !stream.timepoint
// CHECK-GENERIC-NEXT: "stream.copy"([[D2]], [[H]], [[T1]]) <{kind = "d2h", queue = 0 : i64, operandSegmentSizes = array<i32: 1, 1, 1>}> : (memref<3x4xf16>, memref<3x4xf16>, !stream.timepoint) -> !stream.timepoint
func.func @buffer_form() {
  %h = memory.buffer @weights_host[0] : memref<3x4xf16>
  %d = memory.buffer @weights[0] : memref<3x4xf16>
  %d2 = memory.buffer @weights[512] : memref<3x4xf16>
  %t0 = stream.copy "h2d" %h to %d : memref<3x4xf16> to memref<3x4xf16>
  %t1 = stream.copy "d2d" %d to %d2 await(%t0) {queue = 3 : i64} : memref<3x4xf16> to memref<3x4xf16>
  %t2 = stream.copy "d2h" %d2 to %h await(%t1) {queue = 0 : i64} : memref<3x4xf16> to memref<3x4xf16>
  func.return
}

// -----

// Rank-0 and i1 data; memref function arguments.

// CHECK-LABEL: func.func @scalars(%s: tensor<f32>, %m: memref<4xi1>, %n: memref<4xi1>) -> tensor<f32> {
// CHECK-NEXT: [[S:%.*]], {{%.*}} = stream.copy "h2d" %s : tensor<f32> -> tensor<f32>
// CHECK-NEXT: {{%.*}} = stream.copy "d2d" %m to %n : memref<4xi1> to memref<4xi1>
// CHECK-NEXT: func.return [[S]] : tensor<f32>
func.func @scalars(%s: tensor<f32>, %m: memref<4xi1>, %n: memref<4xi1>) -> tensor<f32> {
  %0, %t = stream.copy "h2d" %s : tensor<f32> -> tensor<f32>
  %t1 = stream.copy "d2d" %m to %n : memref<4xi1> to memref<4xi1>
  func.return %0 : tensor<f32>
}
