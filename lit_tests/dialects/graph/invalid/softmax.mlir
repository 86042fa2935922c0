// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.softmax: the axis must be in [-rank, rank); the result type is the
// operand type (checked in the generic form).

func.func @axis_out_of_range(%x: tensor<2x3x4xf32>) {
// CHECK: {{.*}}softmax.mlir:[[# @LINE + 2]]:3: error: graph.softmax: axis 3 is out of range for rank 3
// CHECK-NEXT: %0 = graph.softmax %x {axis = 3 : i64} : tensor<2x3x4xf32>
  %0 = graph.softmax %x {axis = 3 : i64} : tensor<2x3x4xf32>
  func.return
}

// -----

func.func @negative_axis_out_of_range(%x: tensor<?x77xf16>) {
// CHECK: error: graph.softmax: axis -3 is out of range for rank 2
  %0 = graph.softmax %x {axis = -3 : i64} : tensor<?x77xf16>
  func.return
}

// -----

func.func @default_axis_on_scalar(%x: tensor<f32>) {
// CHECK: error: graph.softmax: axis -1 is out of range for rank 0
  %0 = graph.softmax %x : tensor<f32>
  func.return
}

// -----

func.func @result_type_differs(%x: tensor<2x3xf32>) {
// CHECK: error: {{.*}}result 'result' at position 0 does not verify:
  %0 = "graph.softmax"(%x) <{axis = -1 : i64}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return
}

// -----

func.func @axis_not_i64(%x: tensor<2x3xf32>) {
// CHECK: error: {{.*}}Expected attribute i64 but got i32
  %0 = "graph.softmax"(%x) <{axis = 1 : i32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}
