// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of the float unary ops: gelu's approximate property and, in the generic form,
// a result type that differs from the operand type.

func.func @gelu_bad_approximate(%x: tensor<4xf32>) {
// CHECK: {{.*}}unary.mlir:[[# @LINE + 2]]:3: error: graph.gelu: approximate must be one of none, tanh, got 'fast'
// CHECK-NEXT: %0 = graph.gelu %x {approximate = "fast"} : tensor<4xf32>
  %0 = graph.gelu %x {approximate = "fast"} : tensor<4xf32>
  func.return
}

// -----

func.func @result_element_type_differs(%x: tensor<4xf32>) {
// CHECK: error: {{.*}}result 'result' at position 0 does not verify:
  %0 = "graph.relu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  func.return
}

// -----

func.func @result_shape_differs(%x: tensor<4xf32>) {
// CHECK: error: {{.*}}result 'result' at position 0 does not verify:
  %0 = "graph.exp"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  func.return
}

// -----

func.func @gelu_approximate_not_a_string(%x: tensor<4xf32>) {
// CHECK: error: {{.*}}1 : i64 should be of base attribute string
  %0 = "graph.gelu"(%x) <{approximate = 1 : i64}> : (tensor<4xf32>) -> tensor<4xf32>
  func.return
}
