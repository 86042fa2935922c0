// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.where: value element types, broadcasting, result shape; in the generic
// form an i8 condition fails the i1 constraint.

func.func @value_types_differ(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf16>) {
// CHECK: {{.*}}where.mlir:[[# @LINE + 2]]:3: error: graph.where: element types differ: f16, f32
// CHECK-NEXT: %0 = graph.where %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  %0 = graph.where %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  func.return
}

// -----

func.func @cond_not_broadcastable(%c: tensor<3xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) {
// CHECK: error: graph.where: shapes 3 and 4 do not broadcast
  %0 = graph.where %c, %a, %b : (tensor<3xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @values_not_broadcastable(%c: tensor<1xi1>, %a: tensor<2x4xf32>, %b: tensor<3x1xf32>) {
// CHECK: error: graph.where: shapes 2x4 and 3x1 do not broadcast
  %0 = graph.where %c, %a, %b : (tensor<1xi1>, tensor<2x4xf32>, tensor<3x1xf32>) -> tensor<2x4xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%c: tensor<2x1xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) {
// CHECK: error: graph.where: result shape 4 does not match expected 2x4
  %0 = graph.where %c, %a, %b : (tensor<2x1xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @cond_not_i1(%c: tensor<4xi8>, %a: tensor<4xf32>, %b: tensor<4xf32>) {
// CHECK: error: {{.*}}operand 'cond' at position 0 does not verify:
  %0 = "graph.where"(%c, %a, %b) : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return
}
