// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier and parser errors of graph.constant: at most 4096 elements, value type equal to the
// result type (generic form), a dense elements value.

func.func @too_large() {
// CHECK: {{.*}}constant.mlir:[[# @LINE + 2]]:3: error: graph.constant: a constant must be static with at most 4096 elements; use graph.weight for large tensors
// CHECK-NEXT: %0 = graph.constant dense<0.000000e+00> : tensor<4097xf32>
  %0 = graph.constant dense<0.0> : tensor<4097xf32>
  func.return
}

// -----

func.func @too_large_2d() {
// CHECK: error: graph.constant: a constant must be static with at most 4096 elements; use graph.weight for large tensors
  %0 = graph.constant dense<0> : tensor<65x64xi8>
  func.return
}

// -----

func.func @value_type_differs_from_result() {
// CHECK: error: graph.constant: value type tensor<2xf32> differs from result type tensor<2xf16>
  %0 = "graph.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf16>
  func.return
}

// -----

func.func @value_shape_differs_from_result() {
// CHECK: error: graph.constant: value type tensor<2xi32> differs from result type tensor<1x2xi32>
  %0 = "graph.constant"() <{value = dense<[1, 2]> : tensor<2xi32>}> : () -> tensor<1x2xi32>
  func.return
}

// -----

func.func @value_not_dense() {
// CHECK: error: {{.*}}expected a dense elements attribute, got 1.000000e+00 : f32
  %0 = graph.constant 1.0 : f32
  func.return
}
