// RUN: ge-opt %s --print-op-generic | filecheck %s
// RUN: ge-opt %s --print-op-generic | ge-opt --print-op-generic | filecheck %s
// RUN: ge-opt %s --print-op-generic | ge-opt | filecheck %s --check-prefix=CUSTOM

// --print-op-generic prints every op generically: properties in <{...}> (defaults included),
// discardable attributes in {...}; reparsing the generic form gives the same IR.

// CHECK:      "builtin.module"() ({
// CHECK-NEXT:   "func.func"() <{sym_name = "block", function_type = (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>}> ({
// CHECK-NEXT:   ^bb0(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>):
// CHECK-NEXT:     %0 = "graph.conv2d"(%x, %w) <{stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT:     %1 = "graph.relu"(%0) {note = "act"} : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT:     %2 = "graph.max_pool2d"(%1) <{kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<1x4x6x6xf32>) -> tensor<1x4x3x3xf32>
// CHECK-NEXT:     "func.return"(%2) : (tensor<1x4x3x3xf32>) -> ()
// CHECK-NEXT:   }) : () -> ()
// CHECK-NEXT: }) : () -> ()

// CUSTOM:      builtin.module {
// CUSTOM-NEXT:   func.func @block(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
// CUSTOM-NEXT:     %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CUSTOM-NEXT:     %1 = graph.relu %0 {note = "act"} : tensor<1x4x6x6xf32>
// CUSTOM-NEXT:     %2 = graph.max_pool2d %1 {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x4x6x6xf32> -> tensor<1x4x3x3xf32>
// CUSTOM-NEXT:     func.return %2 : tensor<1x4x3x3xf32>
// CUSTOM-NEXT:   }
// CUSTOM-NEXT: }

func.func @block(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = graph.relu %0 {note = "act"} : tensor<1x4x6x6xf32>
  %2 = graph.max_pool2d %1 {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x4x6x6xf32> -> tensor<1x4x3x3xf32>
  func.return %2 : tensor<1x4x3x3xf32>
}
