// RUN: ge-opt %s -p cse,dce | filecheck %s
// RUN: ge-opt %s -p dce | filecheck %s --check-prefix=DCE
// RUN: ge-opt %s -p canonicalize | filecheck %s --check-prefix=CANON
// RUN: ge-opt %s | filecheck %s --check-prefix=NONE

// Every graph op is Pure: CSE merges identical ops (same operands and properties, not only the
// same name), DCE and canonicalize drop unused ones.

// CHECK-LABEL: func.func @dup_and_dead
// CHECK-NEXT:    %0 = graph.relu %x : tensor<4xf32>
// CHECK-NEXT:    %1 = graph.add %0, %0 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT:    func.return %1 : tensor<4xf32>

// DCE-LABEL: func.func @dup_and_dead
// DCE-NEXT:    %0 = graph.relu %x : tensor<4xf32>
// DCE-NEXT:    %1 = graph.relu %x : tensor<4xf32>
// DCE-NEXT:    %2 = graph.add %0, %1 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// DCE-NEXT:    func.return %2 : tensor<4xf32>

// CANON-LABEL: func.func @dup_and_dead
// CANON-NOT:   graph.exp
// CANON-NOT:   graph.weight
// CANON:       func.return

// NONE-LABEL: func.func @dup_and_dead
// NONE:       graph.exp
// NONE:       graph.weight "unused"
func.func @dup_and_dead(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.relu %x : tensor<4xf32>
  %1 = graph.relu %x : tensor<4xf32>
  %dead = graph.exp %x : tensor<4xf32>
  %w = graph.weight "unused" : tensor<4xf32>
  %2 = graph.add %0, %1 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  func.return %2 : tensor<4xf32>
}

// CHECK-LABEL: func.func @not_duplicates
// CHECK-NEXT:    %0 = graph.softmax %x : tensor<2x4xf32>
// CHECK-NEXT:    %1 = graph.softmax %x {axis = 0 : i64} : tensor<2x4xf32>
// CHECK-NEXT:    %2 = graph.weight "a" : tensor<2x4xf32>
// CHECK-NEXT:    %3 = graph.weight "b" : tensor<2x4xf32>
// CHECK-NEXT:    %4 = graph.constant dense<1.000000e+00> : tensor<2x4xf32>
// CHECK-NEXT:    %5 = graph.constant dense<2.000000e+00> : tensor<2x4xf32>
// CHECK-NEXT:    %6 = graph.concat %0, %1, %2, %3, %4, %5, %2, %4 {axis = 0 : i64}
func.func @not_duplicates(%x: tensor<2x4xf32>) -> tensor<16x4xf32> {
  %0 = graph.softmax %x : tensor<2x4xf32>
  %1 = graph.softmax %x {axis = 0 : i64} : tensor<2x4xf32>
  %2 = graph.weight "a" : tensor<2x4xf32>
  %3 = graph.weight "b" : tensor<2x4xf32>
  %4 = graph.constant dense<1.0> : tensor<2x4xf32>
  %5 = graph.constant dense<2.0> : tensor<2x4xf32>
  %6 = graph.weight "a" : tensor<2x4xf32>
  %7 = graph.constant dense<1.0> : tensor<2x4xf32>
  %8 = graph.concat %0, %1, %2, %3, %4, %5, %6, %7 {axis = 0 : i64} : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<16x4xf32>
  func.return %8 : tensor<16x4xf32>
}
