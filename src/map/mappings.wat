;; The fast loop of `scanMappingBytes` (src/map/mappings.ts) in WebAssembly: the same walk over well-formed
;; segments, with the same hand-over to the general loop in TypeScript at the first segment it does not take.
;; V8 runs this code at full speed at once, where the TypeScript loop spends its first megabyte unoptimised.
;; `scripts/make-wasm.mjs` assembles it into src/map/mappings-wasm.ts; edit this file, then run that script.
;;
;; Memory, laid out by the caller:
;;   0..255      base64 digit value per byte (signed; -1 outside the alphabet)
;;   256..319    state, sixteen i32: line, column, source, original line, original column, name, segments,
;;               last line, last column, position (read and written)
;;   $table      per source, two i32: where its mark bytes (or bits) start, how many lines it has (0: not marked)
;;   elsewhere   the mark bytes and the mappings bytes
(module
  (memory (export "memory") 1)

  ;; Returns 0 when it reached `end`, 1 when the general loop takes over at the state's position with the state, 2 when
  ;; it stopped at a segment at or past `limit` (the caller calls again: V8 runs a call in the code the function had
  ;; when it began, so one long call would stay in baseline code all along).
  ;; `bits`: the mark area of each source holds a bit per line instead of a byte.
  ;; A segment's fields are read one after the other (no loop over them), into new values that are kept only once the
  ;; whole segment is known to be valid. Kept values lie in 0..2^31 and one VLQ value under 2^30 in size, so a sum
  ;; that wraps is negative, and checking the sign checks the overflow too.
  (func (export "scan") (param $end i32) (param $limit i32) (param $sources i32) (param $names i32) (param $table i32)
    (param $bits i32) (result i32)
    (local $i i32) (local $c i32) (local $d i32) (local $v i32) (local $shift i32) (local $start i32)
    (local $line i32) (local $column i32) (local $source i32) (local $oline i32) (local $ocol i32) (local $name i32)
    (local $segments i32) (local $lastLine i32) (local $lastColumn i32)
    (local $nc i32) (local $ns i32) (local $nl i32) (local $no i32) (local $nn i32) (local $entry i32) (local $at i32)
    (local.set $line (i32.load offset=256 (i32.const 0)))
    (local.set $column (i32.load offset=260 (i32.const 0)))
    (local.set $source (i32.load offset=264 (i32.const 0)))
    (local.set $oline (i32.load offset=268 (i32.const 0)))
    (local.set $ocol (i32.load offset=272 (i32.const 0)))
    (local.set $name (i32.load offset=276 (i32.const 0)))
    (local.set $segments (i32.load offset=280 (i32.const 0)))
    (local.set $lastLine (i32.load offset=284 (i32.const 0)))
    (local.set $lastColumn (i32.load offset=288 (i32.const 0)))
    (local.set $i (i32.load offset=292 (i32.const 0)))
    (block $handover
      (block $done
        (loop $segment
          (br_if $done (i32.ge_u (local.get $i) (local.get $limit)))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.eq (local.get $c) (i32.const 59))
            (then
              (local.set $line (i32.add (local.get $line) (i32.const 1)))
              (local.set $column (i32.const 0))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $segment)))
          (local.set $start (local.get $i))
          (block $reject
            (block $accepted
              (block $four
                ;; One VLQ value of one to six digits into $v (a seventh may overflow 32 bits: the general loop checks it).
                (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $v (i32.and (local.get $d) (i32.const 31)))
                (if (i32.and (local.get $d) (i32.const 32))
                  (then
                    (local.set $shift (i32.const 5))
                    (loop $digit
                      (br_if $reject (i32.ge_u (local.get $i) (local.get $end)))
                      (br_if $reject (i32.gt_u (local.get $shift) (i32.const 25)))
                      (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                      (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $v (i32.or (local.get $v) (i32.shl (i32.and (local.get $d) (i32.const 31)) (local.get $shift))))
                      (local.set $shift (i32.add (local.get $shift) (i32.const 5)))
                      (br_if $digit (i32.and (local.get $d) (i32.const 32))))))
                ;; 1 is "-0" (-2^31): rare and always an error, reported by the general loop.
                (br_if $reject (i32.eq (local.get $v) (i32.const 1)))
                (local.set $v
                  (select (i32.sub (i32.const 0) (i32.shr_u (local.get $v) (i32.const 1))) (i32.shr_u (local.get $v) (i32.const 1))
                    (i32.and (local.get $v) (i32.const 1))))
                (local.set $nc (i32.add (local.get $column) (local.get $v)))
                (local.set $c (if (result i32) (i32.lt_u (local.get $i) (local.get $end)) (then (i32.load8_u (local.get $i))) (else (i32.const -1))))
                ;; One field: a generated column only.
                (if (i32.or (i32.or (i32.eq (local.get $c) (i32.const 44)) (i32.eq (local.get $c) (i32.const 59))) (i32.eq (local.get $c) (i32.const -1)))
                  (then
                    (br_if $reject (i32.lt_s (local.get $nc) (i32.const 0)))
                    (local.set $column (local.get $nc))
                    (br $accepted)))
                ;; One VLQ value of one to six digits into $v (a seventh may overflow 32 bits: the general loop checks it).
                (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $v (i32.and (local.get $d) (i32.const 31)))
                (if (i32.and (local.get $d) (i32.const 32))
                  (then
                    (local.set $shift (i32.const 5))
                    (loop $digit
                      (br_if $reject (i32.ge_u (local.get $i) (local.get $end)))
                      (br_if $reject (i32.gt_u (local.get $shift) (i32.const 25)))
                      (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                      (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $v (i32.or (local.get $v) (i32.shl (i32.and (local.get $d) (i32.const 31)) (local.get $shift))))
                      (local.set $shift (i32.add (local.get $shift) (i32.const 5)))
                      (br_if $digit (i32.and (local.get $d) (i32.const 32))))))
                ;; 1 is "-0" (-2^31): rare and always an error, reported by the general loop.
                (br_if $reject (i32.eq (local.get $v) (i32.const 1)))
                (local.set $v
                  (select (i32.sub (i32.const 0) (i32.shr_u (local.get $v) (i32.const 1))) (i32.shr_u (local.get $v) (i32.const 1))
                    (i32.and (local.get $v) (i32.const 1))))
                (local.set $ns (i32.add (local.get $source) (local.get $v)))
                (local.set $c (if (result i32) (i32.lt_u (local.get $i) (local.get $end)) (then (i32.load8_u (local.get $i))) (else (i32.const -1))))
                (br_if $reject (i32.or (i32.or (i32.eq (local.get $c) (i32.const 44)) (i32.eq (local.get $c) (i32.const 59))) (i32.eq (local.get $c) (i32.const -1))))
                ;; One VLQ value of one to six digits into $v (a seventh may overflow 32 bits: the general loop checks it).
                (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $v (i32.and (local.get $d) (i32.const 31)))
                (if (i32.and (local.get $d) (i32.const 32))
                  (then
                    (local.set $shift (i32.const 5))
                    (loop $digit
                      (br_if $reject (i32.ge_u (local.get $i) (local.get $end)))
                      (br_if $reject (i32.gt_u (local.get $shift) (i32.const 25)))
                      (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                      (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $v (i32.or (local.get $v) (i32.shl (i32.and (local.get $d) (i32.const 31)) (local.get $shift))))
                      (local.set $shift (i32.add (local.get $shift) (i32.const 5)))
                      (br_if $digit (i32.and (local.get $d) (i32.const 32))))))
                ;; 1 is "-0" (-2^31): rare and always an error, reported by the general loop.
                (br_if $reject (i32.eq (local.get $v) (i32.const 1)))
                (local.set $v
                  (select (i32.sub (i32.const 0) (i32.shr_u (local.get $v) (i32.const 1))) (i32.shr_u (local.get $v) (i32.const 1))
                    (i32.and (local.get $v) (i32.const 1))))
                (local.set $nl (i32.add (local.get $oline) (local.get $v)))
                (local.set $c (if (result i32) (i32.lt_u (local.get $i) (local.get $end)) (then (i32.load8_u (local.get $i))) (else (i32.const -1))))
                (br_if $reject (i32.or (i32.or (i32.eq (local.get $c) (i32.const 44)) (i32.eq (local.get $c) (i32.const 59))) (i32.eq (local.get $c) (i32.const -1))))
                ;; One VLQ value of one to six digits into $v (a seventh may overflow 32 bits: the general loop checks it).
                (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $v (i32.and (local.get $d) (i32.const 31)))
                (if (i32.and (local.get $d) (i32.const 32))
                  (then
                    (local.set $shift (i32.const 5))
                    (loop $digit
                      (br_if $reject (i32.ge_u (local.get $i) (local.get $end)))
                      (br_if $reject (i32.gt_u (local.get $shift) (i32.const 25)))
                      (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                      (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $v (i32.or (local.get $v) (i32.shl (i32.and (local.get $d) (i32.const 31)) (local.get $shift))))
                      (local.set $shift (i32.add (local.get $shift) (i32.const 5)))
                      (br_if $digit (i32.and (local.get $d) (i32.const 32))))))
                ;; 1 is "-0" (-2^31): rare and always an error, reported by the general loop.
                (br_if $reject (i32.eq (local.get $v) (i32.const 1)))
                (local.set $v
                  (select (i32.sub (i32.const 0) (i32.shr_u (local.get $v) (i32.const 1))) (i32.shr_u (local.get $v) (i32.const 1))
                    (i32.and (local.get $v) (i32.const 1))))
                (local.set $no (i32.add (local.get $ocol) (local.get $v)))
                (local.set $c (if (result i32) (i32.lt_u (local.get $i) (local.get $end)) (then (i32.load8_u (local.get $i))) (else (i32.const -1))))
                (local.set $nn (local.get $name))
                (br_if $four (i32.or (i32.or (i32.eq (local.get $c) (i32.const 44)) (i32.eq (local.get $c) (i32.const 59))) (i32.eq (local.get $c) (i32.const -1))))
                ;; One VLQ value of one to six digits into $v (a seventh may overflow 32 bits: the general loop checks it).
                (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $v (i32.and (local.get $d) (i32.const 31)))
                (if (i32.and (local.get $d) (i32.const 32))
                  (then
                    (local.set $shift (i32.const 5))
                    (loop $digit
                      (br_if $reject (i32.ge_u (local.get $i) (local.get $end)))
                      (br_if $reject (i32.gt_u (local.get $shift) (i32.const 25)))
                      (local.set $d (i32.load8_s (i32.load8_u (local.get $i))))
                      (br_if $reject (i32.lt_s (local.get $d) (i32.const 0)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $v (i32.or (local.get $v) (i32.shl (i32.and (local.get $d) (i32.const 31)) (local.get $shift))))
                      (local.set $shift (i32.add (local.get $shift) (i32.const 5)))
                      (br_if $digit (i32.and (local.get $d) (i32.const 32))))))
                ;; 1 is "-0" (-2^31): rare and always an error, reported by the general loop.
                (br_if $reject (i32.eq (local.get $v) (i32.const 1)))
                (local.set $v
                  (select (i32.sub (i32.const 0) (i32.shr_u (local.get $v) (i32.const 1))) (i32.shr_u (local.get $v) (i32.const 1))
                    (i32.and (local.get $v) (i32.const 1))))
                (local.set $nn (i32.add (local.get $name) (local.get $v)))
                (local.set $c (if (result i32) (i32.lt_u (local.get $i) (local.get $end)) (then (i32.load8_u (local.get $i))) (else (i32.const -1))))
                ;; Five fields at most, and a name that exists.
                (br_if $reject (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 44)) (i32.eq (local.get $c) (i32.const 59))) (i32.eq (local.get $c) (i32.const -1)))))
                (br_if $reject (i32.ge_u (local.get $nn) (local.get $names))))
              ;; Four or five fields: every value valid, or the general loop reports the segment.
              (br_if $reject (i32.lt_s (local.get $nc) (i32.const 0)))
              (br_if $reject (i32.ge_u (local.get $ns) (local.get $sources)))
              (br_if $reject (i32.lt_s (local.get $nl) (i32.const 0)))
              (br_if $reject (i32.lt_s (local.get $no) (i32.const 0)))
              (local.set $column (local.get $nc))
              (local.set $source (local.get $ns))
              (local.set $oline (local.get $nl))
              (local.set $ocol (local.get $no))
              (local.set $name (local.get $nn))
              ;; Mark the original line when it lies inside its source.
              (local.set $entry (i32.add (local.get $table) (i32.shl (local.get $source) (i32.const 3))))
              (if (i32.lt_u (local.get $oline) (i32.load offset=4 (local.get $entry)))
                (then
                  (if (local.get $bits)
                    (then
                      (local.set $at (i32.add (i32.load (local.get $entry)) (i32.shr_u (local.get $oline) (i32.const 3))))
                      (i32.store8 (local.get $at)
                        (i32.or (i32.load8_u (local.get $at)) (i32.shl (i32.const 1) (i32.and (local.get $oline) (i32.const 7))))))
                    (else (i32.store8 (i32.add (i32.load (local.get $entry)) (local.get $oline)) (i32.const 1)))))))
            ;; A valid segment: counted.
            (local.set $segments (i32.add (local.get $segments) (i32.const 1)))
            (if (i32.gt_s (local.get $line) (local.get $lastLine))
              (then
                (local.set $lastLine (local.get $line))
                (local.set $lastColumn (local.get $column)))
              (else
                (if (i32.gt_s (local.get $column) (local.get $lastColumn))
                  (then (local.set $lastColumn (local.get $column))))))
            (br_if $done (i32.eq (local.get $c) (i32.const -1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.eq (local.get $c) (i32.const 59))
              (then
                (local.set $line (i32.add (local.get $line) (i32.const 1)))
                (local.set $column (i32.const 0))
                (br $segment)))
            ;; After a comma another segment must follow; if not, the general loop reports it from here.
            (local.set $c (if (result i32) (i32.lt_u (local.get $i) (local.get $end)) (then (i32.load8_u (local.get $i))) (else (i32.const -1))))
            (br_if $handover (i32.or (i32.or (i32.eq (local.get $c) (i32.const 44)) (i32.eq (local.get $c) (i32.const 59))) (i32.eq (local.get $c) (i32.const -1))))
            (br $segment))
          ;; Not taken: back to where the segment started, with the values before it.
          (local.set $i (local.get $start))
          (br $handover)))
      ;; Reached the end, or the limit.
      (call $save (local.get $line) (local.get $column) (local.get $source) (local.get $oline) (local.get $ocol)
        (local.get $name) (local.get $segments) (local.get $lastLine) (local.get $lastColumn) (local.get $i))
      (return (select (i32.const 2) (i32.const 0) (i32.lt_u (local.get $i) (local.get $end)))))
    (call $save (local.get $line) (local.get $column) (local.get $source) (local.get $oline) (local.get $ocol)
      (local.get $name) (local.get $segments) (local.get $lastLine) (local.get $lastColumn) (local.get $i))
    (i32.const 1))

  (func $save (param $line i32) (param $column i32) (param $source i32) (param $oline i32) (param $ocol i32)
    (param $name i32) (param $segments i32) (param $lastLine i32) (param $lastColumn i32) (param $i i32)
    (i32.store offset=256 (i32.const 0) (local.get $line))
    (i32.store offset=260 (i32.const 0) (local.get $column))
    (i32.store offset=264 (i32.const 0) (local.get $source))
    (i32.store offset=268 (i32.const 0) (local.get $oline))
    (i32.store offset=272 (i32.const 0) (local.get $ocol))
    (i32.store offset=276 (i32.const 0) (local.get $name))
    (i32.store offset=280 (i32.const 0) (local.get $segments))
    (i32.store offset=284 (i32.const 0) (local.get $lastLine))
    (i32.store offset=288 (i32.const 0) (local.get $lastColumn))
    (i32.store offset=292 (i32.const 0) (local.get $i))))
