// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.group_norm: channels divisible into num_groups >= 1, rank >= 3,
// weight/bias of shape [C], epsilon > 0.

func.func @channels_not_divisible(%x: tensor<1x64x8x8xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) {
// CHECK: {{.*}}group_norm.mlir:[[# @LINE + 2]]:3: error: graph.group_norm: channels 64 are not divisible into 3 groups
// CHECK-NEXT: %0 = graph.group_norm %x, %w, %b {num_groups = 3 : i64} : (tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  %0 = graph.group_norm %x, %w, %b {num_groups = 3 : i64} : (tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  func.return
}

// -----

func.func @zero_groups(%x: tensor<1x64x8x8xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) {
// CHECK: error: graph.group_norm: num_groups must be >= 1, got 0
  %0 = graph.group_norm %x, %w, %b {num_groups = 0 : i64} : (tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  func.return
}

// -----

func.func @negative_groups(%x: tensor<1x64x8x8xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) {
// CHECK: error: graph.group_norm: num_groups must be >= 1, got -2
  %0 = graph.group_norm %x, %w, %b {num_groups = -2 : i64} : (tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  func.return
}

// -----

func.func @input_rank_two(%x: tensor<2x64xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) {
// CHECK: error: graph.group_norm: input must have rank >= 3 (N, C, ...), got 2x64
  %0 = graph.group_norm %x, %w, %b {num_groups = 32 : i64} : (tensor<2x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x64xf32>
  func.return
}

// -----

func.func @weight_shape_wrong(%x: tensor<1x64x8x8xf32>, %w: tensor<32xf32>, %b: tensor<64xf32>) {
// CHECK: error: graph.group_norm: scale/shift shape 32 does not match expected 64
  %0 = graph.group_norm %x, %w, %b {num_groups = 32 : i64} : (tensor<1x64x8x8xf32>, tensor<32xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  func.return
}

// -----

func.func @epsilon_negative(%x: tensor<1x64x8x8xf16>, %w: tensor<64xf16>, %b: tensor<64xf16>) {
// CHECK: error: graph.group_norm: epsilon must be > 0, got -1.0
  %0 = graph.group_norm %x, %w, %b {num_groups = 32 : i64, epsilon = -1.0 : f16} : (tensor<1x64x8x8xf16>, tensor<64xf16>, tensor<64xf16>) -> tensor<1x64x8x8xf16>
  func.return
}

// -----

func.func @missing_num_groups(%x: tensor<1x64x8x8xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) {
// CHECK: error: {{.*}}property 'num_groups' expected in operation 'graph.group_norm'
  %0 = graph.group_norm %x, %w, %b : (tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  func.return
}
