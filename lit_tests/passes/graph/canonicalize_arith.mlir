// RUN: ge-opt %s -p canonicalize | filecheck %s

// x * 1, 1 * x, x / 1, x - 0 and x + (-0.0) vanish when the constant is a graph.constant whose
// elements are all that value and broadcasting it leaves x's type (and run-time shape) alone.
// x + (+0.0) is not x for floats: -0.0 + 0.0 = +0.0.

// CHECK-LABEL: func.func @mul_one
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    func.return %[[X]], %[[X]], %[[X]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
func.func @mul_one(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %one = graph.constant dense<1.0> : tensor<f32>
  %a = graph.mul %x, %one : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %b = graph.mul %one, %x : tensor<f32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // all elements equal, written out: still a splat
  %ones = graph.constant dense<[[1.0, 1.0, 1.0]]> : tensor<1x3xf32>
  %c = graph.mul %x, %ones : tensor<2x3xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
  func.return %a, %b, %c : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// Broadcasting changes the type: x * 1 is a broadcast, not a no-op.
// CHECK-LABEL: func.func @mul_one_broadcast_kept
// CHECK:         %[[M:.*]] = graph.mul %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[M]]
func.func @mul_one_broadcast_kept(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %one = graph.constant dense<1.0> : tensor<2x3xf32>
  %a = graph.mul %x, %one : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  func.return %a : tensor<2x3xf32>
}

// Same declared type, but a run-time size 1 of %x would broadcast to 3: kept. Against a size-1
// or matching static dim broadcasting changes nothing: removed.
// CHECK-LABEL: func.func @mul_one_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?xf32>, %[[Y:.*]]: tensor<?x3xf32>)
// CHECK:         %[[M:.*]] = graph.mul %[[X]], %{{.*}} : tensor<?xf32>, tensor<3xf32> -> tensor<?xf32>
// CHECK-NEXT:    func.return %[[M]], %[[Y]] : tensor<?xf32>, tensor<?x3xf32>
func.func @mul_one_dynamic(%x: tensor<?xf32>, %y: tensor<?x3xf32>) -> (tensor<?xf32>, tensor<?x3xf32>) {
  %one = graph.constant dense<1.0> : tensor<3xf32>
  %a = graph.mul %x, %one : tensor<?xf32>, tensor<3xf32> -> tensor<?xf32>
  %ones = graph.constant dense<1.0> : tensor<1x3xf32>
  %b = graph.mul %y, %ones : tensor<?x3xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
  func.return %a, %b : tensor<?xf32>, tensor<?x3xf32>
}

// The result type is less specific than x's: replacing it by x would change the type its
// users see (func.return here), so it stays.
// CHECK-LABEL: func.func @mul_one_less_specific_kept
// CHECK:         %[[M:.*]] = graph.mul %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<f32> -> tensor<?x3xf32>
// CHECK-NEXT:    func.return %[[M]] : tensor<?x3xf32>
func.func @mul_one_less_specific_kept(%x: tensor<2x3xf32>) -> tensor<?x3xf32> {
  %one = graph.constant dense<1.0> : tensor<f32>
  %a = graph.mul %x, %one : tensor<2x3xf32>, tensor<f32> -> tensor<?x3xf32>
  func.return %a : tensor<?x3xf32>
}

// Not all ones, not one, or not a constant: kept.
// CHECK-LABEL: func.func @mul_kept
// CHECK-COUNT-3: graph.mul
// CHECK-NEXT:    func.return
func.func @mul_kept(%x: tensor<2xf32>, %y: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %mixed = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %a = graph.mul %x, %mixed : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %two = graph.constant dense<2.0> : tensor<f32>
  %b = graph.mul %x, %two : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  %c = graph.mul %x, %y : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  func.return %a, %b, %c : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// The constant is read in its element type: 1.0001 is 1.0 in f16.
// CHECK-LABEL: func.func @mul_one_f16
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf16>)
// CHECK-NEXT:    func.return %[[X]] : tensor<4xf16>
func.func @mul_one_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %one = graph.constant dense<1.0001> : tensor<f16>
  %a = graph.mul %x, %one : tensor<4xf16>, tensor<f16> -> tensor<4xf16>
  func.return %a : tensor<4xf16>
}

// Integers: x * 1, x + 0, 0 + x, x - 0, x / 1 all vanish.
// CHECK-LABEL: func.func @int_identities
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi32>)
// CHECK-NEXT:    func.return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @int_identities(%x: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %one = graph.constant dense<1> : tensor<i32>
  %zero = graph.constant dense<0> : tensor<4xi32>
  %a = graph.mul %x, %one : tensor<4xi32>, tensor<i32> -> tensor<4xi32>
  %b = graph.add %x, %zero : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %c = graph.add %zero, %x : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %d = graph.sub %x, %zero : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %e = graph.div %x, %one : tensor<4xi32>, tensor<i32> -> tensor<4xi32>
  func.return %a, %b, %c, %d, %e : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// Floats: x + (-0.0), (-0.0) + x, x - 0.0 and x / 1 vanish.
// CHECK-LABEL: func.func @float_identities
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT:    func.return %[[X]], %[[X]], %[[X]], %[[X]]
func.func @float_identities(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %nzero = graph.constant dense<-0.0> : tensor<f32>
  %zero = graph.constant dense<0.0> : tensor<f32>
  %one = graph.constant dense<1.0> : tensor<4xf32>
  %a = graph.add %x, %nzero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %b = graph.add %nzero, %x : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  %c = graph.sub %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %d = graph.div %x, %one : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  func.return %a, %b, %c, %d : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// x + 0.0 and x - (-0.0) turn -0.0 into +0.0; 0 - x is a negation, 1 / x a reciprocal,
// 0 * x is not x: all kept.
// CHECK-LABEL: func.func @float_kept
// CHECK:         graph.add
// CHECK-NEXT:    graph.add
// CHECK-NEXT:    graph.sub
// CHECK-NEXT:    graph.sub
// CHECK-NEXT:    graph.div
// CHECK-NEXT:    graph.mul
// CHECK-NEXT:    func.return
func.func @float_kept(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %zero = graph.constant dense<0.0> : tensor<f32>
  %nzero = graph.constant dense<-0.0> : tensor<f32>
  %one = graph.constant dense<1.0> : tensor<f32>
  %a = graph.add %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %b = graph.add %zero, %x : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  %c = graph.sub %x, %nzero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %d = graph.sub %zero, %x : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  %e = graph.div %one, %x : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  %f = graph.mul %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  func.return %a, %b, %c, %d, %e, %f : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// Arithmetic on i1 is an error in the reference interpreter: kept so that it stays one.
// CHECK-LABEL: func.func @bool_kept
// CHECK:         graph.mul
func.func @bool_kept(%x: tensor<4xi1>) -> tensor<4xi1> {
  %t = graph.constant dense<true> : tensor<i1>
  %a = graph.mul %x, %t : tensor<4xi1>, tensor<i1> -> tensor<4xi1>
  func.return %a : tensor<4xi1>
}

// Chains: each step exposes the next (mul by one, then an identity reshape, then a cast).
// CHECK-LABEL: func.func @chain
// CHECK-SAME:    (%[[X:.*]]: tensor<2x2xf32>)
// CHECK-NEXT:    func.return %[[X]] : tensor<2x2xf32>
func.func @chain(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %one = graph.constant dense<1.0> : tensor<f32>
  %a = graph.mul %x, %one : tensor<2x2xf32>, tensor<f32> -> tensor<2x2xf32>
  %b = graph.reshape %a : tensor<2x2xf32> -> tensor<4xf32>
  %c = graph.reshape %b : tensor<4xf32> -> tensor<2x2xf32>
  %d = graph.cast %c : tensor<2x2xf32> -> tensor<2x2xf32>
  %e = graph.div %d, %one : tensor<2x2xf32>, tensor<f32> -> tensor<2x2xf32>
  func.return %e : tensor<2x2xf32>
}
