// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | ge-opt --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=CHECK-GENERIC

// stream.launch in tensor form (value semantics): tensors in, tensor results plus a
// !stream.timepoint out; `await(...)` orders it after other tasks; stream and block_dim
// properties. The default stream 0 is elided in the custom form.

stream.kernel @mm attributes {unit = "cube", cube_flops = 48 : i64} {
^bb0(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>):
  %0 = graph.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}
stream.kernel @relu attributes {vector_flops = 8 : i64} {
^bb0(%x: tensor<2x4xf32>):
  %0 = graph.relu %x : tensor<2x4xf32>
  stream.yield %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @tensor_form(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT: [[MM:%.*]], [[T0:%.*]] = stream.launch @mm(%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> (tensor<2x4xf32>)
// CHECK-NEXT: [[R1:%.*]], [[T1:%.*]] = stream.launch @relu([[MM]]) await([[T0]]) {stream = 1 : i64} : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
// CHECK-NEXT: [[R2:%.*]], [[T2:%.*]] = stream.launch @relu([[MM]]) {block_dim = 8 : i64} : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
// CHECK-NEXT: [[R3:%.*]], {{%.*}} = stream.launch @relu([[R1]]) await([[T1]], [[T2]]) {stream = 3 : i64, block_dim = 1 : i64} : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
// CHECK-NEXT: func.return [[R3]] : tensor<2x4xf32>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "tensor_form"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>):
// CHECK-GENERIC-NEXT: [[MM:%.*]], [[T0:%.*]] = "stream.launch"(%a, %b) <{kernel = @mm, operandSegmentSizes = array<i32: 2, 0, 0>, stream = 0 : i64}> : (tensor<2x3xf32>, tensor<3x4xf32>) -> (tensor<2x4xf32>, !stream.timepoint)
// CHECK-GENERIC-NEXT: [[R1:%.*]], [[T1:%.*]] = "stream.launch"([[MM]], [[T0]]) <{kernel = @relu, stream = 1 : i64, operandSegmentSizes = array<i32: 1, 0, 1>}> : (tensor<2x4xf32>, !stream.timepoint) -> (tensor<2x4xf32>, !stream.timepoint)
// CHECK-GENERIC-NEXT: [[R2:%.*]], [[T2:%.*]] = "stream.launch"([[MM]]) <{kernel = @relu, stream = 0 : i64, block_dim = 8 : i64, operandSegmentSizes = array<i32: 1, 0, 0>}> : (tensor<2x4xf32>) -> (tensor<2x4xf32>, !stream.timepoint)
// CHECK-GENERIC-NEXT: [[R3:%.*]], {{%.*}} = "stream.launch"([[R1]], [[T1]], [[T2]]) <{kernel = @relu, stream = 3 : i64, block_dim = 1 : i64, operandSegmentSizes = array<i32: 1, 0, 2>}> : (tensor<2x4xf32>, !stream.timepoint, !stream.timepoint) -> (tensor<2x4xf32>, !stream.timepoint)
// CHECK-GENERIC-NEXT: "func.return"([[R3]]) : (tensor<2x4xf32>) -> ()
func.func @tensor_form(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0, %t0 = stream.launch @mm(%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> (tensor<2x4xf32>)
  %1, %t1 = stream.launch @relu(%0) await(%t0) {stream = 1 : i64} : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
  %2, %t2 = stream.launch @relu(%0) {stream = 0 : i64, block_dim = 8 : i64} : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
  %3, %t3 = stream.launch @relu(%1) await(%t1, %t2) {stream = 3 : i64, block_dim = 1 : i64} : (tensor<2x4xf32>) -> (tensor<2x4xf32>)
  func.return %3 : tensor<2x4xf32>
}

// -----

// Kernels with no arguments, no results, several results; timepoints as function arguments.

stream.kernel @cst attributes {unit = "none"} {
  %c = graph.constant dense<1.0> : tensor<2xf32>
  stream.yield %c : tensor<2xf32>
}
stream.kernel @barrier attributes {unit = "none"} {
  stream.yield
}
stream.kernel @split attributes {unit = "none"} {
^bb0(%in: tensor<4x6xf16>):
  %0, %1 = graph.split %in {axis = 1 : i64} : tensor<4x6xf16> -> tensor<4x2xf16>, tensor<4x4xf16>
  stream.yield %0, %1 : tensor<4x2xf16>, tensor<4x4xf16>
}

// CHECK-LABEL: func.func @shapes_of_launch(%x: tensor<4x6xf16>, %ready: !stream.timepoint) -> (tensor<2xf32>, tensor<4x2xf16>, tensor<4x4xf16>) {
// CHECK-NEXT: [[C:%.*]], [[TC:%.*]] = stream.launch @cst() await(%ready) : () -> (tensor<2xf32>)
// CHECK-NEXT: [[S0:%.*]], [[S1:%.*]], [[TS:%.*]] = stream.launch @split(%x) {stream = 2 : i64} : (tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>)
// CHECK-NEXT: {{%.*}} = stream.launch @barrier() await([[TC]], [[TS]]) : () -> ()
// CHECK-NEXT: func.return [[C]], [[S0]], [[S1]] : tensor<2xf32>, tensor<4x2xf16>, tensor<4x4xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "shapes_of_launch"
// CHECK-GENERIC: "stream.launch"(%ready) <{kernel = @cst, operandSegmentSizes = array<i32: 0, 0, 1>, stream = 0 : i64}> : (!stream.timepoint) -> (tensor<2xf32>, !stream.timepoint)
// CHECK-GENERIC-NEXT: "stream.launch"(%x) <{kernel = @split, stream = 2 : i64, operandSegmentSizes = array<i32: 1, 0, 0>}> : (tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>, !stream.timepoint)
// CHECK-GENERIC-NEXT: "stream.launch"({{%.*}}, {{%.*}}) <{kernel = @barrier, operandSegmentSizes = array<i32: 0, 0, 2>, stream = 0 : i64}> : (!stream.timepoint, !stream.timepoint) -> !stream.timepoint
func.func @shapes_of_launch(%x: tensor<4x6xf16>, %ready: !stream.timepoint) -> (tensor<2xf32>, tensor<4x2xf16>, tensor<4x4xf16>) {
  %c, %tc = stream.launch @cst() await(%ready) : () -> (tensor<2xf32>)
  %s0, %s1, %ts = stream.launch @split(%x) {stream = 2 : i64} : (tensor<4x6xf16>) -> (tensor<4x2xf16>, tensor<4x4xf16>)
  %tb = stream.launch @barrier() await(%tc, %ts) : () -> ()
  func.return %c, %s0, %s1 : tensor<2xf32>, tensor<4x2xf16>, tensor<4x4xf16>
}

// -----

// Dynamic shapes are allowed at stream level (memory planning needs static ones).

stream.kernel @dyn {
^bb0(%x: tensor<?x4xf32>):
  %0 = graph.exp %x : tensor<?x4xf32>
  stream.yield %0 : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
// CHECK-NEXT: [[E:%.*]], {{%.*}} = stream.launch @dyn(%x) : (tensor<?x4xf32>) -> (tensor<?x4xf32>)
// CHECK-NEXT: func.return [[E]] : tensor<?x4xf32>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "dynamic"
// CHECK-GENERIC: "stream.launch"(%x) <{kernel = @dyn, operandSegmentSizes = array<i32: 1, 0, 0>, stream = 0 : i64}> : (tensor<?x4xf32>) -> (tensor<?x4xf32>, !stream.timepoint)
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0, %t = stream.launch @dyn(%x) : (tensor<?x4xf32>) -> (tensor<?x4xf32>)
  func.return %0 : tensor<?x4xf32>
}
