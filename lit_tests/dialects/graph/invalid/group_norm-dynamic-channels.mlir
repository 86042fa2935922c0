// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Diagnostics print a dynamic dim as "?", never as xDSL's internal marker (INT64_MIN).

// CHECK-NOT: -9223372036854775808
func.func @negative_groups_dynamic_channels(%x: tensor<1x?x8x8xf32>, %w: tensor<?xf32>, %b: tensor<?xf32>) {
// CHECK: error: graph.group_norm: {{.*}}-2
  %0 = graph.group_norm %x, %w, %b {num_groups = -2 : i64} : (tensor<1x?x8x8xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<1x?x8x8xf32>
  func.return
}
// CHECK-NOT: -9223372036854775808
