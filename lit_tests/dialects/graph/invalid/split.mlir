// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.split: at least one result, the result sizes along the axis add up to
// the input's, other dims equal, axis in range, element types.

func.func @sizes_do_not_add_up(%x: tensor<2x6xf32>) {
// CHECK: {{.*}}split.mlir:[[# @LINE + 2]]:3: error: graph.split: results 2x2, 2x3 do not split 2x6: sizes along axis 1 add up to 5, not 6
// CHECK-NEXT: %0, %1 = graph.split %x {axis = 1 : i64} : tensor<2x6xf32> -> tensor<2x2xf32>, tensor<2x3xf32>
  %0:2 = graph.split %x {axis = 1 : i64} : tensor<2x6xf32> -> tensor<2x2xf32>, tensor<2x3xf32>
  func.return
}

// -----

func.func @sizes_too_large(%x: tensor<2x6xf32>) {
// CHECK: error: graph.split: results 2x4, 2x4 do not split 2x6: sizes along axis 1 add up to 8, not 6
  %0:2 = graph.split %x {axis = -1 : i64} : tensor<2x6xf32> -> tensor<2x4xf32>, tensor<2x4xf32>
  func.return
}

// -----

func.func @other_dim_differs(%x: tensor<2x6xf32>) {
// CHECK: error: graph.split: result 3x3 differs from input 2x6 outside axis 1
  %0:2 = graph.split %x {axis = 1 : i64} : tensor<2x6xf32> -> tensor<2x3xf32>, tensor<3x3xf32>
  func.return
}

// -----

func.func @axis_out_of_range(%x: tensor<2x6xf32>) {
// CHECK: error: graph.split: axis 2 is out of range for rank 2
  %0:2 = graph.split %x {axis = 2 : i64} : tensor<2x6xf32> -> tensor<2x3xf32>, tensor<2x3xf32>
  func.return
}

// -----

func.func @element_types_differ(%x: tensor<6xf32>) {
// CHECK: error: graph.split: element types differ: f16, f32
  %0:2 = graph.split %x {axis = 0 : i64} : tensor<6xf32> -> tensor<3xf32>, tensor<3xf16>
  func.return
}

// -----

func.func @no_results(%x: tensor<6xf32>) {
// CHECK: error: graph.split: needs at least one result
  "graph.split"(%x) <{axis = 0 : i64}> : (tensor<6xf32>) -> ()
  func.return
}
